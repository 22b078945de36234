"""Benchmark samples ``(name, image_bgr, gt)`` read lazily from data sets:
BSDS500 (all annotators), the NYUv2 superpixel benchmark, and any Pascal
VOC-layout set of semantic label maps."""
import functools
import io
import os
import os.path as osp
from collections.abc import Sequence
from typing import Callable, List, Optional, Tuple

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage

from mmsuperpix.datasets.bsds500 import BSDS500Dataset
from mmsuperpix.datasets.nyuv2_superpixel import NYUv2SuperpixelDataset
from mmsuperpix.datasets.transforms.loading import LoadSuperpixelAnnotations
from mmsuperpix.superpixels import contiguous_labels
from mmsuperpix.utils.image_io import read_image


class SampleList(Sequence):
    """Lazily read samples of a listed data set (a sized, indexable list).

    Images are read with :func:`~mmsuperpix.utils.image_io.read_image`, so a
    missing, damaged or truncated image raises an error naming it.

    Args:
        items (Sequence[Tuple[str, str]]): ``(img_path, gt_path)`` pairs.
        read_gt (Callable, optional): ``gt_path -> (A, H, W)`` labels.
            Defaults to ``LoadSuperpixelAnnotations().read_annotations``.
    """

    def __init__(self, items: Sequence[Tuple[str, str]],
                 read_gt: Optional[Callable[[str], np.ndarray]] = None
                 ) -> None:
        self.items = list(items)
        self._read_gt = read_gt or \
            LoadSuperpixelAnnotations().read_annotations

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return SampleList(self.items[index], self._read_gt)
        img_path, gt_path = self.items[index]
        image = read_image(img_path, cv2.IMREAD_COLOR)
        gt = self._read_gt(gt_path)
        if gt.shape[1:] != image.shape[:2]:
            raise ValueError(f'ground truth {gt_path!r} is {gt.shape[1:]} '
                             f'(H, W) but image {img_path!r} is '
                             f'{image.shape[:2]}; fix the file pair')
        name = osp.splitext(osp.basename(img_path))[0]
        return name, image, gt


def _items(dataset, limit: Optional[int]) -> SampleList:
    if limit is not None and (isinstance(limit, bool) or limit < 1):
        raise ValueError(f'limit must be a positive int or None, got '
                         f'{limit!r}')
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    items = [(info['img_path'], info['gt_path']) for info in infos]
    return SampleList(items[:limit] if limit is not None else items)


def bsds500_samples(data_root: str, split: str = 'val',
                    limit: Optional[int] = None) -> SampleList:
    """BSDS500 samples, all annotations of an image in one sample.

    Args:
        data_root (str): The folder holding ``images/`` and
            ``groundTruth/`` (``BSR/BSDS500/data``).
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to
            ``'val'``.
        limit (int, optional): Keep the first ``limit`` images (sorted by
            id). Defaults to None (all).

    Returns:
        SampleList: Iterating it yields ``(name, (H, W, 3) uint8 BGR,
        (A, H, W) uint16 contiguous labels)``, reading files on demand.
    """
    dataset = BSDS500Dataset(data_root=data_root, split=split,
                             mode='per_image')
    return _items(dataset, limit)


def nyuv2_samples(data_root: str, split: str = 'test',
                  ann_file: Optional[str] = None,
                  limit: Optional[int] = None) -> SampleList:
    """NYUv2 samples in the superpixel benchmark's layout (one annotation).

    Args:
        data_root (str): The benchmark's ``NYUV2`` folder.
        split (str): Sub-folder of ``images/`` and ``csv_groundTruth/``.
            Defaults to ``'test'``.
        ann_file (str, optional): Index list (e.g.
            ``nyuv2_test_subset.txt``), relative to ``data_root`` unless
            absolute. Defaults to None (every image of the split).
        limit (int, optional): Keep the first ``limit`` images. Defaults to
            None (all).

    Returns:
        SampleList: Yields ``(name, (H, W, 3) uint8 BGR, (1, H, W) uint16
        contiguous labels)``.
    """
    dataset = NYUv2SuperpixelDataset(data_root=data_root, split=split,
                                     ann_file=ann_file or '')
    return _items(dataset, limit)


def voc_samples(data_root: str,
                label_dir: str = 'SegmentationClassAug',
                void: int = 255,
                limit: Optional[int] = None,
                ann_file: Optional[str] = None) -> SampleList:
    """Images with semantic label maps (Pascal VOC layout: ``JPEGImages/
    *.jpg`` and ``<label_dir>/*.png``) as superpixel ground truth: each
    class region of the map is a segment (one annotation per image).

    Void pixels (``void``, VOC's object outlines) are given the label of
    the nearest labelled pixel, so that the void bands add no boundaries of
    their own.

    Args:
        data_root (str): The folder holding ``JPEGImages/`` and
            ``label_dir``.
        label_dir (str): Label map folder. Defaults to
            ``'SegmentationClassAug'``.
        void (int): The void label. Defaults to 255.
        limit (int, optional): Keep the first ``limit`` images (sorted by
            id). Defaults to None (all).
        ann_file (str, optional): A list of image ids, one per line (VOC's
            ``ImageSets/Segmentation/val.txt``), relative to ``data_root``
            unless absolute. Defaults to None (every label map).

    Returns:
        SampleList: Yields ``(name, (H, W, 3) uint8 BGR, (1, H, W) int32
        contiguous labels)``.
    """
    labels = osp.join(data_root, label_dir)
    if not osp.isdir(labels):
        raise FileNotFoundError(
            f'no label folder {labels!r}: data_root must hold JPEGImages/ '
            f'and {label_dir}/ (the Pascal VOC layout)')
    names = sorted(osp.splitext(f)[0] for f in os.listdir(labels)
                   if f.endswith('.png'))
    if ann_file is not None:
        names = _listed(osp.join(data_root, ann_file), names)
    items = [(osp.join(data_root, 'JPEGImages', name + '.jpg'),
              osp.join(labels, name + '.png')) for name in names]
    if limit is not None and (isinstance(limit, bool) or limit < 1):
        raise ValueError(f'limit must be a positive int or None, got '
                         f'{limit!r}')
    return SampleList(items[:limit] if limit is not None else items,
                      functools.partial(_read_semantic_map, void=void))


def _listed(ann_file: str, names: List[str]) -> List[str]:
    """The ids of ``ann_file`` (one per line), each checked to have a
    label map among ``names``."""
    if not osp.isfile(ann_file):
        raise FileNotFoundError(f'no image list {ann_file!r}: give a file '
                                'of image ids, one per line')
    with open(ann_file) as f:
        listed = [line.split()[0] for line in f if line.strip()]
    missing = sorted(set(listed) - set(names))
    if missing:
        raise FileNotFoundError(
            f'{ann_file!r} lists {len(missing)} image(s) without a label '
            f'map, e.g. {missing[0]!r}; fix the list or the data root')
    return sorted(set(listed))


def _read_semantic_map(path: str, void: int) -> np.ndarray:
    """``(1, H, W)`` contiguous labels of a label-map PNG, void pixels
    filled from the nearest labelled pixel."""
    try:  # PIL: palette PNGs give their indices, not colours
        with open(path, 'rb') as f:
            labels = np.asarray(Image.open(io.BytesIO(f.read())))
    except OSError as err:
        raise ValueError(f'cannot read the label map {path!r}: {err}') \
            from err
    if labels.ndim != 2:
        raise ValueError(f'{path!r} is not a single-channel label map '
                         f'(shape {labels.shape})')
    is_void = labels == void
    if is_void.all():
        raise ValueError(f'{path!r} holds only void pixels ({void})')
    if is_void.any():
        _, (rows, cols) = ndimage.distance_transform_edt(
            is_void, return_indices=True)
        labels = labels[rows, cols]
    return contiguous_labels(labels)[None]
