"""The superpixel benchmark loop: one method, several counts, many images.

A *sample* is ``(name, image_bgr, gt)``: an image id, the ``(H, W, 3)``
uint8 BGR image and its ``(A, H, W)`` integer ground truth (``A`` human
annotations). :func:`benchmark_method` runs a ``segment_fn(image_bgr, n) ->
(H, W) labels`` at each target count on every sample, scores every
(image, annotation) pair with :func:`superpixel_metrics` and averages.
:func:`bsds500_samples` and :func:`nyuv2_samples` read the data sets with
the dataset modules' listing and ground-truth readers; :func:`voc_samples`
takes semantic label maps (VOC layout) as one annotation each.
"""
import functools
import io
import itertools
import os
import os.path as osp
import sys
import time
import warnings
from collections.abc import Iterable, Sequence
from typing import Callable, Iterator, List, Optional, Tuple, Union

import cv2
import numpy as np
from mmengine.utils import ProgressBar
from PIL import Image
from scipy import ndimage

from mmsuperpix.datasets.bsds500 import BSDS500Dataset
from mmsuperpix.datasets.nyuv2_superpixel import NYUv2SuperpixelDataset
from mmsuperpix.datasets.transforms.loading import LoadSuperpixelAnnotations
from mmsuperpix.superpixels import contiguous_labels
from mmsuperpix.utils.image_io import read_image
from .functional import superpixel_metrics

Sample = Tuple[str, np.ndarray, np.ndarray]
SegmentFn = Callable[[np.ndarray, int], np.ndarray]

#: Metrics averaged over all (image, annotation) pairs, in table order.
PAIR_METRICS = ('asa', 'br', 'bp', 'ue_np', 'ue_levin', 'co', 'ev')
#: Every key of a :func:`benchmark_method` row.
ROW_KEYS = ('count', 'n_superpixels', *PAIR_METRICS, 'ms_per_image',
            'n_images', 'n_pairs')


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
                limit: Optional[int] = None) -> SampleList:
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
    items = [(osp.join(data_root, 'JPEGImages', name + '.jpg'),
              osp.join(labels, name + '.png')) for name in names]
    if limit is not None and (isinstance(limit, bool) or limit < 1):
        raise ValueError(f'limit must be a positive int or None, got '
                         f'{limit!r}')
    return SampleList(items[:limit] if limit is not None else items,
                      functools.partial(_read_semantic_map, void=void))


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


def _check_counts(counts) -> List[int]:
    counts = list(counts) if isinstance(counts, Iterable) else [counts]
    if not counts or any(
            isinstance(c, bool) or not isinstance(c, (int, np.integer))
            or c < 1 for c in counts):
        raise ValueError(f'counts must be a non-empty list of positive ints '
                         f'(target superpixel numbers), got {counts!r}')
    return [int(c) for c in counts]


def _check_sample(sample) -> Sample:
    try:
        name, image, gt = sample
    except (TypeError, ValueError):
        raise TypeError('each sample must be a (name, image_bgr, gt) tuple, '
                        f'got {type(sample).__name__}') from None
    image, gt = np.asarray(image), np.asarray(gt)
    if gt.ndim == 2:
        gt = gt[None]
    if image.ndim != 3 or image.shape[2] != 3 or gt.ndim != 3 or \
            gt.shape[1:] != image.shape[:2] or len(gt) == 0:
        raise ValueError(
            f'sample {name!r}: need an (H, W, 3) image and (A, H, W) ground '
            f'truth of the same H, W with A >= 1, got {image.shape} and '
            f'{gt.shape}')
    return str(name), image, gt


def _nanmean(values: List[float]) -> float:
    with warnings.catch_warnings():  # all-NaN (constant images) -> NaN
        warnings.simplefilter('ignore', RuntimeWarning)
        return float(np.nanmean(values))


def _chunks(samples: Iterable, size: int) -> Iterator[List]:
    """Lists of up to ``size`` consecutive samples."""
    iterator = iter(samples)
    while True:
        chunk = list(itertools.islice(iterator, max(int(size), 1)))
        if not chunk:
            return
        yield chunk


def _segment_chunk(segment_fn: SegmentFn, chunk: List[Sample],
                   count: int) -> List[np.ndarray]:
    """Labels of a chunk of samples: at once through ``segment_images``
    (a ``SuperpixelMethod``), else one image at a time."""
    images = [image for _, image, _ in chunk]
    if hasattr(segment_fn, 'segment_images'):
        outputs = segment_fn.segment_images(images, count)
    else:
        outputs = [segment_fn(image, count) for image in images]
    return [np.asarray(labels) for labels in outputs]


def benchmark_method(segment_fn: SegmentFn,
                     samples: Iterable[Sample],
                     counts: Union[int, Sequence[int]],
                     tolerance: Optional[int] = None,
                     progress: bool = True) -> List[dict]:
    """Score one superpixel method at several target counts.

    For every sample and count, ``segment_fn`` is timed (wall clock,
    milliseconds) and its labels are scored against each annotation.
    Samples are read once (images outer, counts inner), so a lazy
    :class:`SampleList` or a generator is fine. A method that processes
    several images at once (``batch_size > 1``, e.g. a per-image optimiser)
    gets them in chunks through ``segment_images``; each image's time is
    then its chunk's time over the chunk's size.

    Args:
        segment_fn (Callable): ``(image_bgr (H, W, 3) uint8, n) -> (H, W)
            integer labels``, e.g. any ``SuperpixelMethod``.
        samples (Iterable): ``(name, image_bgr (H, W, 3), gt (A, H, W))``
            tuples; a ``(H, W)`` gt counts as one annotation.
        counts (int | Sequence[int]): Nominal superpixel numbers.
        tolerance (int, optional): Boundary tolerance radius in pixels; None
            uses Stutz's default for each image size.
        progress (bool): Show a progress bar over images x counts. Defaults
            to True.

    Returns:
        list[dict]: One row per count, in the given order, with the keys of
        :data:`ROW_KEYS`: ``count`` (nominal), ``n_superpixels`` (mean
        actual count over images), the means over all (image, annotation)
        pairs of ``asa, br, bp, ue_np, ue_levin, co, ev`` (NaN EVs of
        constant images are skipped), ``ms_per_image`` (mean run time of
        ``segment_fn``), ``n_images`` and ``n_pairs``.
    """
    if not callable(segment_fn):
        raise TypeError(f'segment_fn must be callable (image_bgr, n) -> '
                        f'labels, got {type(segment_fn).__name__}')
    counts = _check_counts(counts)
    total = len(samples) * len(counts) if hasattr(samples, '__len__') else 0
    bar = ProgressBar(total, file=sys.stdout) if progress else None
    per_pair = [{k: [] for k in PAIR_METRICS} for _ in counts]
    actual = [[] for _ in counts]
    millis = [[] for _ in counts]
    for chunk in _chunks(samples, getattr(segment_fn, 'batch_size', 1)):
        chunk = [_check_sample(sample) for sample in chunk]
        for c, count in enumerate(counts):
            start = time.perf_counter()
            outputs = _segment_chunk(segment_fn, chunk, count)
            seconds = (time.perf_counter() - start) / len(chunk)
            for (name, image, gt), labels in zip(chunk, outputs):
                millis[c].append(1000.0 * seconds)
                if labels.shape != image.shape[:2]:
                    raise ValueError(
                        f'segment_fn returned labels of shape {labels.shape} '
                        f'for image {name!r} of size {image.shape[:2]}; it '
                        'must return one (H, W) label map per image')
                for annotation in gt:
                    scores = superpixel_metrics(labels, annotation, image,
                                                tolerance)
                    for key in PAIR_METRICS:
                        per_pair[c][key].append(scores[key])
                actual[c].append(scores['n_superpixels'])
                if bar is not None:
                    bar.update()
    if not actual[0]:
        raise ValueError('samples is empty: nothing to benchmark; check the '
                         'data root, split and limit')
    if bar is not None:
        print()  # end the progress bar's line
    rows = []
    for c, count in enumerate(counts):
        row = dict(count=count, n_superpixels=float(np.mean(actual[c])))
        row.update({k: _nanmean(v) for k, v in per_pair[c].items()})
        row.update(ms_per_image=float(np.mean(millis[c])),
                   n_images=len(actual[c]),
                   n_pairs=len(per_pair[c]['asa']))
        rows.append(row)
    return rows
