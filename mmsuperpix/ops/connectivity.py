"""Connectivity post-processing of hard superpixel labels.

SLIC, SSN, SCN, AINet and their relatives predict a hard label per pixel that
may give one superpixel several disconnected pieces and many tiny fragments.
They all finish with the same routine, scikit-image's
``_enforce_label_connectivity_cython`` (copied by SSN/SCN as
``connectivity.pyx``), which :func:`enforce_connectivity` re-implements with
numba, pixel for pixel identical:

1. Scan the pixels in raster order. Each pixel not yet assigned starts a new
   segment with the next free label.
2. Grow the segment breadth-first over 4-neighbours with the same input label
   (neighbours tried in the order right, left, down, up) and stop as soon as
   it holds ``max_size`` pixels; a larger region is thus cut into pieces, the
   rest being picked up later by the scan.
3. While growing, every already-assigned 4-neighbour of a segment pixel that
   does not carry the new label is remembered as ``adjacent``; the last one
   met wins (so, of the start pixel alone, the pixel above beats the pixel
   to the left).
4. A segment smaller than ``min_size`` takes the ``adjacent`` label (the
   free label is reused by the next segment); otherwise it keeps the new label.

Every output label is one 4-connected region of at least
``min(min_size, H * W)`` pixels and the labels are exactly ``0 .. K-1``.
Pieces are at most ``max_size`` pixels when cut, but merged fragments can
make a final superpixel larger.

This module only needs numpy and numba.
"""
import numbers
from typing import Tuple

import numba
import numpy as np

#: Neighbour offsets in scikit-image's order: right, left, down, up.
_DY = (0, 0, 1, -1)
_DX = (1, -1, 0, 0)


def _jit(func):
    """``numba.njit(cache=True)``, or without the disk cache when no cache
    directory is writable (numba then compiles once per process)."""
    try:
        return numba.njit(cache=True)(func)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(cache=False)(func)


@_jit
def _connectivity_kernel(labels, min_size, max_size):
    """Compiled scan; ``labels`` is a C-contiguous (H, W) int64 array."""
    height, width = labels.shape
    out = np.full((height, width), -1, np.int32)
    capacity = min(max_size, height * width)
    queue_y = np.empty(capacity, np.int64)
    queue_x = np.empty(capacity, np.int64)
    new_label = 0
    for y in range(height):
        for x in range(width):
            if out[y, x] >= 0:
                continue
            value = labels[y, x]
            adjacent = new_label
            out[y, x] = new_label
            queue_y[0] = y
            queue_x[0] = x
            size = 1
            head = 0
            while head < size and size < max_size:
                cy = queue_y[head]
                cx = queue_x[head]
                for k in range(4):
                    ny = cy + _DY[k]
                    nx = cx + _DX[k]
                    if ny < 0 or ny >= height or nx < 0 or nx >= width:
                        continue
                    assigned = out[ny, nx]
                    if assigned < 0 and labels[ny, nx] == value:
                        out[ny, nx] = new_label
                        queue_y[size] = ny
                        queue_x[size] = nx
                        size += 1
                        if size >= max_size:
                            break
                    elif assigned >= 0 and assigned != new_label:
                        adjacent = assigned
                head += 1
            if size < min_size:
                for i in range(size):
                    out[queue_y[i], queue_x[i]] = adjacent
            else:
                new_label += 1
    return out


def _check_size(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f'{name} must be an int, got {value!r} of type '
                        f'{type(value).__name__}')
    return int(value)


def enforce_connectivity(labels: np.ndarray, min_size: int,
                         max_size: int) -> np.ndarray:
    """Relabel a superpixel map so every label is one 4-connected region.

    Identical, pixel for pixel, to scikit-image's
    ``_enforce_label_connectivity_cython(labels[None], min_size, max_size,
    start_label=0)[0]`` on maps without the id -1 (scikit-image leaves
    pixels labelled ``start_label - 1`` unassigned; here every id is an
    ordinary label). See the module docstring for the rule.

    Args:
        labels (np.ndarray): Hard labels ``(H, W)`` of any integer (or bool)
            dtype; only equality of ids matters, their values are arbitrary.
            Float maps are refused: round and cast them first, e.g.
            ``np.rint(labels).astype(np.int64)``.
        min_size (int): Segments with fewer pixels are merged into a
            neighbour, ``0 <= min_size <= max_size``.
        max_size (int): Largest segment grown in one piece (``>= 1``); larger
            regions are cut into pieces. :func:`connectivity_sizes` gives the
            SSN/SCN choice.

    Returns:
        np.ndarray: int32 labels ``(H, W)`` with values ``0 .. K-1``, each
        label a single 4-connected region.

    Raises:
        TypeError: ``labels`` is not an integer numpy array, or a size is not
            an int.
        ValueError: ``labels`` is not 2-D or is empty, or the sizes are out
            of range.
    """
    if not isinstance(labels, np.ndarray):
        hint = (' (convert a tensor with .cpu().numpy())'
                if hasattr(labels, 'cpu') else '')
        raise TypeError('labels must be a numpy.ndarray, got '
                        f'{type(labels).__name__}{hint}')
    if labels.ndim != 2:
        raise ValueError(
            f'labels must be a 2-D (H, W) map, got shape {labels.shape}; '
            'call enforce_connectivity once per map of a batch, e.g. on '
            'labels[i] or labels.squeeze()')
    if not (np.issubdtype(labels.dtype, np.integer)
            or labels.dtype == np.bool_):
        raise TypeError(
            f'labels must have an integer dtype, got {labels.dtype}; cast '
            'integral values first, e.g. np.rint(labels).astype(np.int64)')
    if labels.size == 0:
        raise ValueError(f'labels is empty (shape {labels.shape}); it needs '
                         'at least one pixel')
    if labels.size >= 2**31:
        raise ValueError(f'labels has {labels.size} pixels, more than the '
                         'int32 output can index')
    min_size = _check_size('min_size', min_size)
    max_size = _check_size('max_size', max_size)
    if max_size < 1:
        raise ValueError(f'max_size must be >= 1, got {max_size}')
    if not 0 <= min_size <= max_size:
        raise ValueError(f'min_size must satisfy 0 <= min_size <= max_size '
                         f'= {max_size}, got {min_size}')
    # int64 keeps every id distinct (uint64 wraps around, bijectively).
    ids = np.ascontiguousarray(labels.astype(np.int64, copy=False))
    return _connectivity_kernel(ids, min_size, max_size)


def connectivity_sizes(height: int, width: int,
                       n_segments: int) -> Tuple[int, int]:
    """``(min_size, max_size)`` used by SSN and SCN.

    With ``segment_size = height * width / n_segments`` (pixels per
    superpixel), ``min_size = int(0.06 * segment_size)`` and
    ``max_size = int(3 * segment_size)``. For example a 481x321 BSDS image
    with 600 superpixels gives ``(15, 772)``.

    Args:
        height (int): Image height ``H``.
        width (int): Image width ``W``.
        n_segments (int): Number of superpixels, ``1 .. H * W`` (SSN/SCN
            pass the actual number of grid cells).

    Returns:
        Tuple[int, int]: ``(min_size, max_size)`` for
        :func:`enforce_connectivity`.
    """
    height = _check_size('height', height)
    width = _check_size('width', width)
    n_segments = _check_size('n_segments', n_segments)
    if height < 1 or width < 1:
        raise ValueError(f'the image size must be positive, got '
                         f'{height}x{width}')
    if not 1 <= n_segments <= height * width:
        raise ValueError(
            f'n_segments must be between 1 and the number of pixels '
            f'{height * width} ({height}x{width}), got {n_segments}')
    segment_size = height * width / n_segments
    return int(0.06 * segment_size), int(3 * segment_size)
