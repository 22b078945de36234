"""The superpixel benchmark loop: one method, several counts, many images.

A *sample* is ``(name, image_bgr, gt)``: an image id, the ``(H, W, 3)``
uint8 BGR image and its ``(A, H, W)`` integer ground truth (``A`` human
annotations); :mod:`.benchmark_samples` reads them from the data sets.
:func:`benchmark_method` runs a ``segment_fn(image_bgr, n) -> (H, W)
labels`` at each target count on every sample, scores every (image,
annotation) pair with :func:`superpixel_metrics` and averages.
"""
import itertools
import sys
import time
import warnings
from collections.abc import Iterable, Sequence
from typing import Callable, Iterator, List, Optional, Tuple, Union

import numpy as np
from mmengine.utils import ProgressBar

from .functional import superpixel_metrics

Sample = Tuple[str, np.ndarray, np.ndarray]
SegmentFn = Callable[[np.ndarray, int], np.ndarray]

#: Metrics averaged over all (image, annotation) pairs, in table order.
PAIR_METRICS = ('asa', 'br', 'bp', 'ue_np', 'ue_levin', 'co', 'ev')
#: Every key of a :func:`benchmark_method` row.
ROW_KEYS = ('count', 'n_superpixels', *PAIR_METRICS, 'ms_per_image',
            'n_images', 'n_pairs')


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
                     progress: bool = True,
                     per_image: bool = False) -> List[dict]:
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
        per_image (bool): Also return each image's scores (for paired
            comparisons of methods over the same images). Defaults to False.

    Returns:
        list[dict]: One row per count, in the given order, with the keys of
        :data:`ROW_KEYS`: ``count`` (nominal), ``n_superpixels`` (mean
        actual count over images), the means over all (image, annotation)
        pairs of ``asa, br, bp, ue_np, ue_levin, co, ev`` (NaN EVs of
        constant images are skipped), ``ms_per_image`` (mean run time of
        ``segment_fn``), ``n_images`` and ``n_pairs``. With ``per_image``,
        each row also has ``per_image``: a dict of lists in sample order,
        ``name``, ``n_superpixels`` and the pair metrics averaged over the
        image's annotations.
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
    images = [{k: [] for k in ('name', *PAIR_METRICS)} for _ in counts]
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
                first = len(per_pair[c]['asa'])
                for annotation in gt:
                    scores = superpixel_metrics(labels, annotation, image,
                                                tolerance)
                    for key in PAIR_METRICS:
                        per_pair[c][key].append(scores[key])
                actual[c].append(scores['n_superpixels'])
                images[c]['name'].append(name)
                for key in PAIR_METRICS:
                    images[c][key].append(_nanmean(per_pair[c][key][first:]))
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
        if per_image:
            row['per_image'] = dict(images[c], n_superpixels=actual[c])
        rows.append(row)
    return rows
