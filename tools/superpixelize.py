"""Superpixels of an image or a folder of images with a learned model.

Writes, per image, ``<stem>_labels.png`` (16-bit label map, ids 0..K-1) and
``<stem>_overlay.png`` (boundaries over the image).

Example:
    python tools/superpixelize.py demo.jpg --n-segments 600 --out-dir out
    python tools/superpixelize.py data/BSDS500/images/val --out-dir out \
        --config configs/ainet/<config>.py --checkpoint <ckpt>.pth
"""
import argparse
import os
import os.path as osp
import sys

import cv2
import numpy as np
import torch
from mmengine.utils import ProgressBar

from mmsuperpix.apis import init_superpixel_model, superpixelize, to_bgr_uint8
from mmsuperpix.visualization import draw_superpixel_boundaries

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def parse_args():
    parser = argparse.ArgumentParser(
        description='Compute superpixels with a learned model')
    parser.add_argument('input', help='an image file or a folder of images')
    parser.add_argument('--n-segments', type=int, default=600)
    parser.add_argument('--out-dir', required=True)
    parser.add_argument(
        '--config', help='model config (default: the shipped AINet)')
    parser.add_argument('--checkpoint', help='weights for --config')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads')
    return parser.parse_args()


def list_images(path):
    if osp.isfile(path):
        return [path]
    if not osp.isdir(path):
        sys.exit(f'error: {path!r} is neither an image file nor a folder')
    images = sorted(
        osp.join(path, name) for name in os.listdir(path)
        if name.lower().endswith(IMAGE_SUFFIXES))
    if not images:
        sys.exit(f'error: no images ({", ".join(IMAGE_SUFFIXES)}) in '
                 f'{path!r}')
    return images


def main():
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    images = list_images(args.input)
    model = init_superpixel_model(args.config, args.checkpoint, args.device)
    os.makedirs(args.out_dir, exist_ok=True)
    failures = []
    bar = ProgressBar(len(images)) if len(images) > 1 else None
    for path in images:
        stem = osp.splitext(osp.basename(path))[0]
        try:
            image = to_bgr_uint8(path)
            labels = superpixelize(model, image, args.n_segments)
        except (ValueError, TypeError, FileNotFoundError) as e:
            failures.append(f'{path}: {e}')
        else:
            cv2.imwrite(osp.join(args.out_dir, f'{stem}_labels.png'),
                        labels.astype(np.uint16))
            cv2.imwrite(osp.join(args.out_dir, f'{stem}_overlay.png'),
                        draw_superpixel_boundaries(image, labels))
        if bar is not None:
            bar.update()
    done = len(images) - len(failures)
    print(f'\n{done} of {len(images)} image(s) written to {args.out_dir}')
    if failures:
        print('skipped:\n  ' + '\n  '.join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
