"""Superpixels of an image or a folder of images with any superpixel method
(the shipped learned model by default, another trained model, a per-image
optimiser such as Eliasof et al.'s or RIM, or a classic algorithm).

Writes, per image, ``<stem>_labels.png`` (16-bit label map, ids 0..K-1; with
``--format npy`` ``<stem>_labels.npy``, int32) and ``<stem>_overlay.png``
(boundaries over the image). Images whose stems clash (``a.jpg`` and
``a.png``) keep their extension instead: ``a.jpg_labels.png``,
``a.png_labels.png``; ``LoadSuperpixels`` finds both kinds of names.

Every write is checked: the count printed is of images whose files were all
written, and any image that failed (unreadable, damaged or truncated file,
a request too large for memory, a file that could not be written) is listed
with the reason, with exit status 1.

Example:
    python tools/superpixelize.py demo.jpg --n-segments 600 --out-dir out
    python tools/superpixelize.py data/BSDS500/images/val --out-dir out \
        --config configs/ainet/<config>.py --checkpoint <ckpt>.pth
    python tools/superpixelize.py demo.jpg --method opencv_slic --out-dir out
    python tools/superpixelize.py data/BSDS500/images/val --out-dir out \
        --config mmsuperpix/model_zoo/eliasof_icip2022.py \
        --cfg-options superpixel_method.num_iters=100

Per-image optimisers get the images in lists of their ``batch_size``
(same-sized images optimised together).
"""
import argparse
import os
import os.path as osp
import sys
import tempfile
from collections import Counter
from typing import Dict, List

import cv2
import numpy as np
import torch
from mmengine.config import DictAction
from mmengine.utils import ProgressBar

from mmsuperpix.apis import to_bgr_uint8
from mmsuperpix.superpixels import (DEFAULT_METHOD, METHOD_NAMES,
                                    LearnedSuperpixels, SuperpixelMethod,
                                    build_superpixel_method,
                                    check_n_segments, method_from_config)
from mmsuperpix.utils import add_unsafe_checkpoint_argument
from mmsuperpix.visualization import draw_superpixel_boundaries

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
#: The largest superpixel id a 16-bit PNG label map holds.
PNG_MAX_ID = 65535
WRITE_HINT = (' (check free space and permissions, and that no folder has '
              'that name)')


def positive_int(text: str) -> int:
    """argparse type: a number of superpixels (see ``check_n_segments``)."""
    try:
        return check_n_segments(int(text), '--n-segments')
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'must be a positive integer (a number of superpixels, e.g. '
            f'600), got {text!r}') from None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Compute superpixels with any superpixel method')
    parser.add_argument('input', help='an image file or a folder of images')
    parser.add_argument('--n-segments', type=positive_int, default=600)
    parser.add_argument('--out-dir', required=True,
                        help='output folder (created if missing)')
    parser.add_argument(
        '--format', choices=('png', 'npy'), default='png',
        help='label maps as 16-bit PNGs (ids up to 65,535) or int32 .npy '
        "arrays (LoadSuperpixels(suffix='_labels.npy') reads them)")
    parser.add_argument(
        '--method', default=DEFAULT_METHOD, choices=METHOD_NAMES,
        help='the shipped learned model (default), another shipped model, '
        'a per-image optimiser (eliasof, rim) or a classic algorithm')
    parser.add_argument(
        '--config', help='instead of --method: a learned model config, or '
        'a config with a superpixel_method (e.g. '
        'mmsuperpix/model_zoo/eliasof_icip2022.py)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, default={},
        help='overrides of a superpixel_method config, e.g. '
        'superpixel_method.num_iters=100')
    parser.add_argument('--checkpoint', help='weights for --config (or for '
                        'the default model\'s config)')
    add_unsafe_checkpoint_argument(parser, '--checkpoint')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads')
    args = parser.parse_args()
    if (args.config or args.checkpoint) and args.method != DEFAULT_METHOD:
        parser.error(f'--config/--checkpoint load a learned model; they do '
                     f'not apply to --method {args.method}')
    if args.cfg_options and not args.config:
        parser.error('--cfg-options change a --config; pass one')
    if args.format == 'png' and args.n_segments > PNG_MAX_ID + 1:
        parser.error(
            f'--n-segments {args.n_segments} gives superpixel ids above '
            f'{PNG_MAX_ID:,}, which a 16-bit PNG cannot hold; pass --format '
            'npy (or fewer segments)')
    return args


def list_images(path: str) -> List[str]:
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


def output_names(images: List[str]) -> Dict[str, str]:
    """The output name of each image: its stem, or its file name where the
    stem could be confused with another image's stem or file name."""
    stems = Counter(osp.splitext(osp.basename(p))[0] for p in images)
    basenames = {osp.basename(p) for p in images}
    names = {}
    for path in images:
        basename = osp.basename(path)
        stem = osp.splitext(basename)[0]
        clash = stems[stem] > 1 or stems[basename] > 0 or stem in basenames
        names[path] = basename if clash else stem
    return names


def prepare_out_dir(out_dir: str) -> None:
    """Create ``out_dir`` and check that files can be written into it."""
    if osp.exists(out_dir) and not osp.isdir(out_dir):
        sys.exit(f'error: --out-dir {out_dir!r} is an existing file, not a '
                 'folder; pass a folder path (it is created if missing)')
    try:
        os.makedirs(out_dir, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as e:
        sys.exit(f'error: cannot write into --out-dir {out_dir!r} '
                 f'({e.strerror}); pass a folder you can write to')


def write_outputs(prefix: str, image: np.ndarray, labels: np.ndarray,
                  fmt: str) -> List[str]:
    """Write ``<prefix>_labels.<fmt>`` and ``<prefix>_overlay.png`` for an
    ``(H, W, 3)`` image and its ``(H, W)`` labels; return the problems."""
    labels_path = f'{prefix}_labels.{fmt}'
    if fmt == 'png' and labels.max() > PNG_MAX_ID:
        return [f'{labels.max() + 1:,} superpixels do not fit a 16-bit PNG '
                f'(ids up to {PNG_MAX_ID:,}); nothing written, rerun with '
                '--format npy']
    problems = []
    try:
        if fmt == 'npy':
            np.save(labels_path, labels)
            written = True
        else:
            written = cv2.imwrite(labels_path, labels.astype(np.uint16))
    except (OSError, cv2.error):
        written = False
    if not written:
        problems.append(f'could not write {labels_path!r}{WRITE_HINT}')
    overlay_path = f'{prefix}_overlay.png'
    try:
        written = cv2.imwrite(overlay_path,
                              draw_superpixel_boundaries(image, labels))
    except cv2.error:
        written = False
    if not written:
        problems.append(f'could not write {overlay_path!r}{WRITE_HINT}')
    return problems


def build_method(args: argparse.Namespace) -> SuperpixelMethod:
    """The method the arguments ask for, its weights loaded."""
    if args.config:
        method = method_from_config(
            args.config, args.checkpoint, args.cfg_options,
            device=args.device,
            allow_unsafe_checkpoint=args.allow_unsafe_checkpoint)
    elif args.method == DEFAULT_METHOD:
        method = LearnedSuperpixels(
            None, args.checkpoint, device=args.device,
            allow_unsafe_checkpoint=args.allow_unsafe_checkpoint)
    else:
        method = build_superpixel_method(args.method)
    return method.load()


def segment_chunk(method: SuperpixelMethod, loaded: Dict[str, np.ndarray],
                  n_segments: int, failures: List):
    """``(path, labels)`` of loaded images, segmented together; when that
    fails, one by one, so that the failure is put on the right image."""
    try:
        return list(zip(loaded, method.segment_images(list(loaded.values()),
                                                      n_segments)))
    except (ValueError, TypeError) as e:
        if len(loaded) == 1:
            failures.append((next(iter(loaded)), str(e)))
            return []
    done = []
    for path, image in loaded.items():
        try:
            done.append((path, method(image, n_segments)))
        except (ValueError, TypeError) as e:
            failures.append((path, str(e)))
    return done


def main():
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    images = list_images(args.input)
    names = output_names(images)
    prepare_out_dir(args.out_dir)
    try:
        method = build_method(args)
    except (FileNotFoundError, ValueError, TypeError,
            ImportError) as e:  # incl. damaged,
        sys.exit(f'error: {e}')  # unsafe or mismatched checkpoints
    failures = []  # (image path, reason)
    bar = ProgressBar(len(images)) if len(images) > 1 else None
    for start in range(0, len(images), method.batch_size):
        loaded = {}  # path -> image
        for path in images[start:start + method.batch_size]:
            try:
                loaded[path] = to_bgr_uint8(path)
            except (ValueError, TypeError, FileNotFoundError) as e:
                failures.append((path, str(e)))
        for path, labels in segment_chunk(method, loaded, args.n_segments,
                                          failures):
            problems = write_outputs(osp.join(args.out_dir, names[path]),
                                     loaded[path], labels, args.format)
            failures += [(path, problem) for problem in problems]
        if bar is not None:
            bar.update(min(method.batch_size, len(images) - start))
    done = len(images) - len({path for path, _ in failures})
    print(f'\n{done} of {len(images)} image(s) written to {args.out_dir}')
    if failures:
        print('skipped:\n  ' + '\n  '.join(
            f'{path}: {reason}' for path, reason in failures),
              file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
