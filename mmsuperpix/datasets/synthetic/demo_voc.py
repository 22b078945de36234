"""Write the embedded demo dataset in PASCAL VOC 2012 layout.

::

    <root>/VOC2012/JPEGImages/demo_000000.jpg
    <root>/VOC2012/SegmentationClass/demo_000000.png   (P-mode, VOC palette)
    <root>/VOC2012/ImageSets/Segmentation/{train,val,trainval}.txt
    <root>/VOC2012/splits/{25,50,100}/{labeled,unlabeled}.txt (semi-sup.)
    <root>/VOC2012/splits/{train,val}.txt
    <root>/meta.json

Split lists use the semi-supervised format of U2PL / UniMatch / DDFP
(``JPEGImages/x.jpg SegmentationClass/x.png``) and live under ``splits/``
of the VOC folder, where the semi-supervised VOC configs expect the real
lists, so the same dataset configs read both.
"""
import json
import os
import os.path as osp
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np
from mmengine.utils import ProgressBar
from mmseg.datasets import PascalVOCDataset
from PIL import Image

from .scene import DEMO_CLASSES, render_scene

GENERATOR_VERSION = 1
#: The VOC colour of label 255 ("void"), as in the devkit's PNGs.
VOID_COLOUR = (224, 224, 192)


def voc_palette() -> List[int]:
    """The 256-entry flat RGB palette of VOC ``SegmentationClass`` PNGs."""
    palette = np.zeros((256, 3), np.uint8)
    palette[:21] = PascalVOCDataset.METAINFO['palette']
    palette[255] = VOID_COLOUR
    return palette.flatten().tolist()


def save_index_png(label: np.ndarray, path: str) -> None:
    """Save an (H, W) uint8 label map as a VOC-style palette PNG."""
    img = Image.fromarray(label, mode='P')
    img.putpalette(voc_palette())
    img.save(path)


def split_line(img_id: str) -> str:
    """One line of a semi-supervised split list for ``img_id``."""
    return f'JPEGImages/{img_id}.jpg SegmentationClass/{img_id}.png'


def _write_lines(path: str, lines: Sequence[str]) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(''.join(f'{line}\n' for line in lines))


def make_demo_voc(root: str,
                  num_train: int = 400,
                  num_val: int = 100,
                  labeled_counts: Sequence[int] = (25, 50, 100),
                  size_range: Tuple[int, int] = (160, 256),
                  seed: int = 0,
                  progress: bool = True) -> Dict:
    """Generate the demo dataset under ``root`` (deterministic in ``seed``).

    Image ``k`` is rendered from ``np.random.default_rng([seed, k])``, so any
    subset can be regenerated independently and identically.

    Args:
        root (str): Output folder (created).
        num_train (int): Training images. Defaults to 400.
        num_val (int): Validation images. Defaults to 100.
        labeled_counts (Sequence[int]): Sizes of the labeled subsets of the
            training set written as semi-supervised splits.
        size_range (tuple[int, int]): Inclusive range of image heights and
            widths, drawn independently per image.
        seed (int): Base seed. Defaults to 0.
        progress (bool): Show a progress bar.

    Returns:
        dict: The metadata also written to ``<root>/meta.json``.
    """
    if num_train < 1 or num_val < 1:
        raise ValueError(
            f'need at least one train and one val image, got num_train='
            f'{num_train}, num_val={num_val}')
    too_big = [n for n in labeled_counts if not 0 < n <= num_train]
    if too_big:
        raise ValueError(f'labeled_counts {too_big} must lie in 1..'
                         f'{num_train} (the number of training images)')
    voc = osp.join(root, 'VOC2012')
    for sub in ('JPEGImages', 'SegmentationClass', 'ImageSets/Segmentation'):
        os.makedirs(osp.join(voc, sub), exist_ok=True)
    ids = [f'demo_{k:06d}' for k in range(num_train + num_val)]
    bar = ProgressBar(len(ids)) if progress else None
    for k, img_id in enumerate(ids):
        rng = np.random.default_rng([seed, k])
        h, w = rng.integers(size_range[0], size_range[1] + 1, size=2)
        image, label = render_scene(rng, int(h), int(w))
        cv2.imwrite(osp.join(voc, 'JPEGImages', f'{img_id}.jpg'), image,
                    [cv2.IMWRITE_JPEG_QUALITY, 92])
        save_index_png(label, osp.join(voc, 'SegmentationClass',
                                       f'{img_id}.png'))
        if bar is not None:
            bar.update()
    train, val = ids[:num_train], ids[num_train:]
    sets = osp.join(voc, 'ImageSets', 'Segmentation')
    _write_lines(osp.join(sets, 'train.txt'), train)
    _write_lines(osp.join(sets, 'val.txt'), val)
    _write_lines(osp.join(sets, 'trainval.txt'), ids)
    splits = osp.join(voc, 'splits')
    _write_lines(osp.join(splits, 'train.txt'), map(split_line, train))
    _write_lines(osp.join(splits, 'val.txt'), map(split_line, val))
    # key 2**32 - 1 is a random stream that no image index uses
    order = np.random.default_rng([seed, 2**32 - 1]).permutation(num_train)
    for n in labeled_counts:
        labeled = sorted(order[:n])
        unlabeled = sorted(order[n:])
        _write_lines(osp.join(splits, str(n), 'labeled.txt'),
                     [split_line(train[i]) for i in labeled])
        _write_lines(osp.join(splits, str(n), 'unlabeled.txt'),
                     [split_line(train[i]) for i in unlabeled])
    meta = dict(
        generator='mmsuperpix.datasets.synthetic.make_demo_voc',
        generator_version=GENERATOR_VERSION,
        seed=seed,
        num_train=num_train,
        num_val=num_val,
        labeled_counts=list(labeled_counts),
        size_range=list(size_range),
        classes={int(c): PascalVOCDataset.METAINFO['classes'][c]
                 for c in DEMO_CLASSES})
    with open(osp.join(root, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=2)
    return meta
