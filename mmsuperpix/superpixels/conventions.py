"""How superpixel maps and superpixel requests look, in one place.

Maps:

- a method returns ``(H, W)`` int32 labels ``0..K-1`` (:func:`contiguous_labels`);
- in a data pipeline the map is ``results['superpixels']`` (:data:`KEY`), listed
  in ``seg_fields`` so mmcv/mmseg geometric transforms move it with the image.
  Those transforms pad segmentation maps with :data:`PAD_ID` (255), so ids
  skip 255 (:func:`store_superpixels`);
- packed and batched maps mark pixels that belong to no superpixel (padding)
  with :data:`NO_SUPERPIXEL` (-1);
- a batch's maps travel in each sample's metainfo as :data:`LABELS_KEY`
  ``(H, W)`` int64 and, from a method with a soft association,
  :data:`ASSOCIATION_KEY` ``(9, h, w)`` with the side of its grid cells as
  :data:`ASSOCIATION_CELL_KEY` (16 for the grid networks; the clustering
  heads' cells depend on the image size and the count).

Requests: a superpixel count ``n_segments`` (a positive int) or a mean
superpixel side ``segment_size`` in pixels, turned into a count per image by
:func:`segment_count`.
"""
from typing import Any, Optional

import numpy as np

KEY = 'superpixels'
PAD_ID = 255
NO_SUPERPIXEL = -1
LABELS_KEY = 'superpixels'
ASSOCIATION_KEY = 'superpixel_association'
ASSOCIATION_CELL_KEY = 'superpixel_cell_size'


def contiguous_labels(labels: np.ndarray) -> np.ndarray:
    """Relabel any integer array to ids ``0..K-1`` in increasing label
    order (the one relabelling of the project: methods' outputs, metrics,
    loaded annotations).

    Dense non-negative ids go through a lookup table (linear time; ids
    already ``0..K-1`` are returned as they are), others through
    ``np.unique`` (a sort).

    Args:
        labels (np.ndarray): Integer labels, any shape (e.g. ``(H, W)``).

    Returns:
        np.ndarray: int32 labels of the same shape.
    """
    labels = np.asarray(labels)
    if labels.size == 0:
        return labels.astype(np.int32)
    low, high = int(labels.min()), int(labels.max())
    if low >= 0 and high < 4 * labels.size + 1024:
        present = np.bincount(labels.ravel().astype(np.intp, copy=False),
                              minlength=high + 1) > 0
        if present.all():
            return labels.astype(np.int32, copy=False)
        lut = (np.cumsum(present) - 1).astype(np.int32)
        return lut[labels]
    _, inverse = np.unique(labels, return_inverse=True)
    return inverse.reshape(labels.shape).astype(np.int32)


def store_superpixels(results: dict, labels: np.ndarray) -> dict:
    """Put ``labels`` (H, W, ids >= 0) into ``results`` with 255 reserved."""
    labels = np.asarray(labels).astype(np.int32)
    if labels.size and labels.min() < 0:
        raise ValueError('superpixel ids must be >= 0')
    results[KEY] = labels + (labels >= PAD_ID)
    fields = results.setdefault('seg_fields', [])
    if KEY not in fields:
        fields.append(KEY)
    return results


def check_n_segments(n_segments: Any, name: str = 'n_segments') -> int:
    """``n_segments`` as an int, or a clear error unless it is a positive
    integer (bools, floats and strings are refused)."""
    if isinstance(n_segments, bool) or not isinstance(
            n_segments, (int, np.integer)) or n_segments < 1:
        raise ValueError(
            f'{name} must be a positive int (a number of superpixels, e.g. '
            f'600), got {n_segments!r} of type {type(n_segments).__name__}')
    return int(n_segments)


def check_segment_request(n_segments: Optional[int],
                          segment_size: Optional[float]) -> None:
    """Exactly one of a superpixel count and a mean superpixel side."""
    if (n_segments is None) == (segment_size is None):
        raise ValueError('give exactly one of n_segments and segment_size, '
                         f'got {n_segments!r} and {segment_size!r}')
    if n_segments is not None:
        check_n_segments(n_segments)
    elif isinstance(segment_size, bool) or not isinstance(
            segment_size, (int, float)) or segment_size <= 0:
        raise ValueError(f'segment_size must be a positive number of '
                         f'pixels, got {segment_size!r}')


def segment_count(height: int, width: int, n_segments: Optional[int],
                  segment_size: Optional[float]) -> int:
    """Superpixels to request for an ``height x width`` image: ``n_segments``
    or ``H * W / segment_size ** 2``, capped at the pixel count."""
    if n_segments is None:
        n_segments = max(1, round(height * width / segment_size**2))
    return min(int(n_segments), height * width)
