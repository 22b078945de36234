"""Turn a training checkpoint into a small, plain inference checkpoint.

Keeps only model weights: optionally one submodule (``--submodule teacher``
exports the EMA teacher of a semi-supervised run as a plain mmseg
segmentor), with DDFP's auxiliary BatchNorms removed and the main ones
renamed to the plain layout, optionally as float16 (half the size; cast
back to float32 when loaded). The optimizer, runner state and everything
outside the submodule (the student, the flow) are dropped, and so is every
submodule named by ``--drop`` (the training-only parts of CDS).

Examples:
    python tools/model_converters/export_checkpoint.py \
        work_dirs/ddfp/iter_1500.pth ddfp_teacher.pth --submodule teacher
    python tools/model_converters/export_checkpoint.py \
        work_dirs/ainet/iter_4000.pth mmsuperpix/model_zoo/ainet_bsds500.pth \
        --fp16
    python tools/model_converters/export_checkpoint.py \
        work_dirs/cds/iter_4000.pth cds_bsds500.pth --fp16 \
        --drop aux_embedder estimator
"""
import argparse
import os.path as osp
import sys

import torch

import mmsuperpix
from mmsuperpix.models.utils import strip_auxiliary_bn
from mmsuperpix.utils import (CheckpointError, add_unsafe_checkpoint_argument,
                              load_local_checkpoint)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='a checkpoint saved by training')
    parser.add_argument('out', help='the .pth file to write')
    parser.add_argument(
        '--submodule', default=None,
        help='keep only this submodule, e.g. teacher or student')
    parser.add_argument(
        '--drop', nargs='+', default=[], metavar='SUBMODULE',
        help='leave out these submodules (training-only parts, e.g. '
        "CDS's aux_embedder and estimator)")
    parser.add_argument('--fp16', action='store_true',
                        help='store floating-point weights as float16')
    add_unsafe_checkpoint_argument(parser, 'the checkpoint')
    return parser.parse_args()


def main():
    args = parse_args()
    try:
        ckpt = load_local_checkpoint(args.checkpoint, 'cpu',
                                     args.allow_unsafe_checkpoint)
    except (CheckpointError, FileNotFoundError) as e:
        sys.exit(f'error: {e}')
    state = ckpt.get('state_dict', ckpt)
    if not isinstance(state, dict) or not state:
        sys.exit(f'error: {args.checkpoint!r} holds no state_dict')
    if args.submodule:
        prefix = args.submodule.rstrip('.') + '.'
        state = {k[len(prefix):]: v for k, v in state.items()
                 if k.startswith(prefix)}
        if not state:
            sys.exit(f'error: no weights under {prefix!r} in '
                     f'{args.checkpoint!r}')
    for name in args.drop:
        prefix = name.rstrip('.') + '.'
        kept = {k: v for k, v in state.items() if not k.startswith(prefix)}
        if len(kept) == len(state):
            sys.exit(f'error: --drop {name}: no weights under {prefix!r} in '
                     f'{args.checkpoint!r}')
        state = kept
    state = strip_auxiliary_bn(state)
    if args.fp16:
        state = {k: v.half() if v.is_floating_point() else v
                 for k, v in state.items()}
    meta = ckpt.get('meta', {})
    torch.save(
        dict(state_dict={k: v.contiguous() for k, v in state.items()},
             meta=dict(source=osp.basename(args.checkpoint),
                       submodule=args.submodule, iter=meta.get('iter'),
                       mmsuperpix_version=mmsuperpix.__version__)),
        args.out)
    size = osp.getsize(args.out) / 2**20
    print(f'wrote {args.out} ({size:.1f} MiB, {len(state)} tensors, '
          f'iteration {meta.get("iter")})')


if __name__ == '__main__':
    main()
