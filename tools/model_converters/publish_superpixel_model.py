"""Turn a training checkpoint into a small inference checkpoint.

Keeps only the model weights (optionally as float16, half the size; they
are cast back to float32 when loaded), drops the optimizer and runner
state, and records where they came from.

Example:
    python tools/model_converters/publish_superpixel_model.py \
        work_dirs/ainet/iter_4000.pth mmsuperpix/model_zoo/ainet_bsds500.pth
"""
import argparse
import os.path as osp
import sys

import torch

import mmsuperpix  # noqa: F401  (checkpoint loader for torch >= 2.6)
from mmsuperpix.utils import load_local_checkpoint


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='a checkpoint saved by training')
    parser.add_argument('out', help='the .pth file to write')
    parser.add_argument('--float32', action='store_true',
                        help='keep float32 weights (default: float16)')
    return parser.parse_args()


def main():
    args = parse_args()
    ckpt = load_local_checkpoint(args.checkpoint, 'cpu')
    state = ckpt.get('state_dict', ckpt)
    if not isinstance(state, dict) or not state:
        sys.exit(f'error: {args.checkpoint!r} holds no state_dict')
    if not args.float32:
        state = {k: v.half() if v.is_floating_point() else v
                 for k, v in state.items()}
    meta = ckpt.get('meta', {})
    out = dict(
        state_dict={k: v.contiguous() for k, v in state.items()},
        meta=dict(source=osp.basename(args.checkpoint),
                  iter=meta.get('iter'),
                  mmsuperpix_version=mmsuperpix.__version__))
    torch.save(out, args.out)
    size = osp.getsize(args.out) / 2**20
    print(f'wrote {args.out} ({size:.1f} MiB, {len(state)} tensors, '
          f'iteration {meta.get("iter")})')


if __name__ == '__main__':
    main()
