"""Convert timm / DeiT / DINO ViT weights to mmseg's VisionTransformer
layout (for NeuralEF's frozen backbone).

Nothing is downloaded: get the weights yourself, e.g. timm's
``vit_small_patch16_384`` (``augreg_in21k_ft_in1k``, the paper's ViT-S/16)
from huggingface.co/timm, or DINO's ``dino_deitsmall16_pretrain.pth`` from
github.com/facebookresearch/dino, then

    python tools/model_converters/vit2mmseg.py vit_s16_384.pth \\
        pretrain/vit-s16_384_mmseg.pth

The file is read without running code from it (``weights_only``; see
``--allow-unsafe-checkpoint``).
"""
import argparse
import os
import os.path as osp
import sys

import torch

import mmsuperpix  # noqa: F401
from mmsuperpix.utils import (CheckpointError, add_unsafe_checkpoint_argument,
                              load_local_checkpoint, timm_vit_to_mmseg,
                              vit_state_dict)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='timm / DeiT / DINO checkpoint (.pth)')
    parser.add_argument('dst', help='the mmseg-layout .pth to write')
    add_unsafe_checkpoint_argument(parser, 'src')
    args = parser.parse_args()
    if not osp.isfile(args.src):
        sys.exit(f'error: {args.src!r} does not exist; download the ViT '
                 'weights first (see this script\'s --help)')
    try:
        checkpoint = load_local_checkpoint(
            args.src, allow_unsafe=args.allow_unsafe_checkpoint)
        weights = timm_vit_to_mmseg(vit_state_dict(checkpoint))
    except (CheckpointError, ValueError) as e:
        sys.exit(f'error: {args.src}: {e}')
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    torch.save(weights, args.dst)
    print(f'{len(weights)} tensors written to {args.dst}')


if __name__ == '__main__':
    main()
