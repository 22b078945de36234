"""The standard superpixel benchmark metrics, vectorised.

Re-implements the definitions of Stutz et al.'s superpixel benchmark
("Superpixels: An Evaluation of the State-of-the-Art", CVIU 2018): boundary
recall and (hybrid) boundary precision with a pixel tolerance, achievable
segmentation accuracy, the Neubert-Protzel and Levin under-segmentation
errors, compactness and explained variation.

Notation: ``N`` pixels, superpixels ``S_j`` (``K`` of them), ground-truth
segments ``G_i`` (``G`` of them). Every metric is computed from one
relabelled pair of maps with ``np.bincount``, array shifts and one OpenCV
dilation per boundary map; nothing loops over pixels or segments.
"""
import math
from typing import Dict, Optional, Tuple

import cv2
import numpy as np

from mmsuperpix.superpixels.conventions import contiguous_labels

METRIC_KEYS = ('asa', 'br', 'bp', 'ue_np', 'ue_levin', 'co', 'ev',
               'n_superpixels')


def default_tolerance(h: int, w: int) -> int:
    """Stutz's boundary tolerance ``r = round(0.0025 * sqrt(H^2 + W^2))``.

    Gives 1 for BSDS500 (481x321) and 2 for NYUv2 (608x448). Halves round
    away from zero like C++ ``std::round`` (a 120x160 map gives 1), not to
    even like Python's ``round``.

    Args:
        h (int): Image height.
        w (int): Image width.

    Returns:
        int: The tolerance radius in pixels (Chebyshev distance).
    """
    return int(math.floor(0.0025 * math.sqrt(h * h + w * w) + 0.5))


def boundary_map(labels: np.ndarray) -> np.ndarray:
    """Stutz's ``is4ConnectedBoundaryPixel`` for every pixel.

    A pixel is a boundary pixel when its label differs from any of its (up
    to four, inside the image) 4-neighbours; both sides of a label change
    count, so boundaries are two pixels thick.

    Args:
        labels (np.ndarray): (H, W) label map of any dtype.

    Returns:
        np.ndarray: (H, W) bool boundary map.
    """
    labels = np.asarray(labels)
    if labels.ndim != 2:
        raise ValueError(f'boundary_map expects an (H, W) label map, got '
                         f'shape {labels.shape}')
    out = np.zeros(labels.shape, dtype=bool)
    rows = labels[1:, :] != labels[:-1, :]
    out[1:, :] |= rows
    out[:-1, :] |= rows
    cols = labels[:, 1:] != labels[:, :-1]
    out[:, 1:] |= cols
    out[:, :-1] |= cols
    return out


def _check_label_map(name: str, labels) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim != 2:
        raise ValueError(f'`{name}` must be an (H, W) label map, got shape '
                         f'{labels.shape}; squeeze channel/batch axes first')
    if labels.size == 0:
        raise ValueError(f'`{name}` is empty (shape {labels.shape}); '
                         'pass a map with at least one pixel')
    if labels.dtype.kind not in 'iub':
        raise TypeError(f'`{name}` must hold integer labels, got dtype '
                        f'{labels.dtype}; convert it with '
                        '.astype(np.int64) if its values are whole numbers')
    return labels


def _check_image(image, shape: Tuple[int, int]) -> np.ndarray:
    """Validate an (H, W, 3) image; return it as (3, H * W) float64."""
    image = np.asarray(image)
    if image.shape != (*shape, 3):
        raise ValueError(f'`image` must have shape (H, W, 3) = '
                         f'{(*shape, 3)} to match the label maps, got '
                         f'{image.shape}; transpose CHW tensors to HWC')
    kind = image.dtype.kind
    if kind not in 'iufb':
        raise TypeError(f'`image` must be numeric (uint8 BGR), got dtype '
                        f'{image.dtype}')
    # (3, N): one contiguous float64 row per channel.
    image = image.reshape(-1, 3).T.astype(np.float64, order='C')
    if kind == 'f' and not np.isfinite(image).all():
        raise ValueError('`image` contains NaN or infinite values; '
                         'pass a finite (uint8) image')
    return image


def _relabel(labels: np.ndarray) -> Tuple[np.ndarray, int]:
    """Ids ``0..K-1`` (flattened, :func:`contiguous_labels`) and ``K``."""
    flat = contiguous_labels(labels).ravel()
    return flat, int(flat.max()) + 1


def _contingency(sp: np.ndarray, k: int, gt: np.ndarray,
                 g: int) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-zero entries ``|S_j ∩ G_i|`` as ``(j, i, count)``, sorted by j."""
    code = sp.astype(np.int64) * g + gt
    if k * g <= max(4 * sp.size, 1 << 20):
        counts = np.bincount(code, minlength=k * g)
        nz = np.flatnonzero(counts)
        cnt = counts[nz]
    else:  # many labels on both sides: keep the table sparse
        nz, cnt = np.unique(code, return_counts=True)
    return nz // g, nz % g, cnt


def _dilate(mask: np.ndarray, r: int) -> np.ndarray:
    """``True`` where any pixel of ``mask`` lies in the (2r+1)^2 window."""
    if r == 0:
        return mask
    kernel = np.ones((2 * r + 1, 2 * r + 1), np.uint8)
    # The default dilation border value never adds pixels: the window is
    # effectively clipped at the image border.
    return cv2.dilate(mask.view(np.uint8), kernel).view(bool)


def _boundary_recall_precision(sp_b: np.ndarray, gt_b: np.ndarray,
                               r: int) -> Tuple[float, float]:
    """Boundary recall and Stutz's hybrid boundary precision.

    With ``B_S``, ``B_G`` the 4-connected boundary pixels of the superpixels
    and the ground truth and ``W_r(p)`` the (2r+1)x(2r+1) window at ``p``
    (clipped at the border)::

        TP = |{p in B_G : W_r(p) ∩ B_S != ∅}|,  FN = |B_G| - TP
        FP = |{p in B_S \\ B_G : W_r(p) ∩ B_G = ∅}|
        BR = TP / (TP + FN)     (1 when the GT has no boundary pixel)
        BP = TP / (TP + FP)     (1 when TP + FP == 0)

    BP is the benchmark's non-standard hybrid: its TP counts GT pixels while
    its FP counts superpixel pixels.
    """
    near_sp = _dilate(sp_b, r)
    near_gt = _dilate(gt_b, r)
    n_gt = int(np.count_nonzero(gt_b))
    tp = int(np.count_nonzero(gt_b & near_sp))
    fp = int(np.count_nonzero(sp_b & ~near_gt))  # near_gt covers gt_b
    br = tp / n_gt if n_gt > 0 else 1.0
    bp = tp / (tp + fp) if tp + fp > 0 else 1.0
    return br, bp


def _asa(j: np.ndarray, cnt: np.ndarray, n: int) -> float:
    """Achievable segmentation accuracy ``(1/N) Σ_j max_i |S_j ∩ G_i|``.

    ``j`` is sorted and every superpixel occurs in it at least once.
    """
    starts = np.flatnonzero(np.r_[True, j[1:] != j[:-1]])
    return float(np.maximum.reduceat(cnt, starts).sum()) / n


def _ue_np(j: np.ndarray, cnt: np.ndarray, sp_size: np.ndarray,
           n: int) -> float:
    """Neubert-Protzel under-segmentation error.

    ``UE = (1/N) Σ_i Σ_{j: S_j∩G_i≠∅} min(|S_j ∩ G_i|, |S_j \\ G_i|)``.
    """
    return float(np.minimum(cnt, sp_size[j] - cnt).sum()) / n


def _ue_levin(j: np.ndarray, i: np.ndarray, sp_size: np.ndarray,
              gt_size: np.ndarray) -> float:
    """Levin et al.'s under-segmentation error.

    ``UE = (1/G) Σ_i (Σ_{j: S_j∩G_i≠∅} |S_j| - |G_i|) / |G_i|``.
    """
    covered = np.bincount(i, weights=sp_size[j], minlength=gt_size.size)
    return float(np.mean((covered - gt_size) / gt_size))


def _compactness(sp: np.ndarray, k: int, sp_size: np.ndarray) -> float:
    """Compactness ``CO = Σ_j (|S_j| / N) * 4π|S_j| / P_j²``.

    ``P_j`` is the perimeter of ``S_j`` in unit pixel edges: the edges
    between a pixel of ``S_j`` and a 4-neighbour of another label, plus the
    image-border edges of its pixels. A k x k square gives
    ``4πk² / (4k)² = π/4``.

    Args:
        sp (np.ndarray): (H, W) labels in ``0..k-1``.
    """
    # Per pixel: 4 edges minus those shared with a same-label 4-neighbour
    # (border edges are never shared, so they count).
    edges = np.full(sp.shape, 4, np.uint8)
    for same, first, second in (
            (sp[1:, :] == sp[:-1, :], edges[1:, :], edges[:-1, :]),
            (sp[:, 1:] == sp[:, :-1], edges[:, 1:], edges[:, :-1])):
        first -= same
        second -= same
    perim = np.bincount(sp.ravel(), weights=edges.ravel(), minlength=k)
    n = sp.size
    return float(np.sum(sp_size / n * 4 * np.pi * sp_size / perim**2))


def _explained_variation(sp: np.ndarray, k: int, sp_size: np.ndarray,
                         image: np.ndarray) -> float:
    """Explained variation over the three channels.

    ``EV = Σ_p Σ_c (μ_{S(p),c} - μ_c)² / Σ_p Σ_c (x_{p,c} - μ_c)²`` with
    ``μ_c`` the image mean and ``μ_{S,c}`` the superpixel mean of channel
    ``c``. NaN for a constant image (zero denominator).

    Args:
        sp (np.ndarray): (N,) labels in ``0..k-1``.
        image (np.ndarray): (3, N) float64 colours, one row per channel.
    """
    above = below = 0.0
    for channel in image:  # three contiguous channels
        centred = channel - channel.mean()
        sums = np.bincount(sp, weights=centred, minlength=k)
        # Σ_p (μ_S(p) - μ)² = Σ_j |S_j| (μ_j - μ)²
        #                  = Σ_j (Σ_{p∈S_j} (x_p - μ))² / |S_j|
        above += float(np.sum(sums * sums / sp_size))
        below += float(np.sum(centred * centred))
    return above / below if below > 0 else float('nan')


def superpixel_metrics(sp: np.ndarray,
                       gt: np.ndarray,
                       image: Optional[np.ndarray] = None,
                       tolerance: Optional[int] = None) -> Dict[str, float]:
    """Score one superpixel map against one ground-truth segmentation.

    Args:
        sp (np.ndarray): (H, W) integer superpixel labels; any ids, gaps and
            negative values allowed.
        gt (np.ndarray): (H, W) integer ground-truth segment labels.
        image (np.ndarray, optional): (H, W, 3) image (uint8 BGR), only used
            for explained variation. Defaults to None (``ev`` is NaN).
        tolerance (int, optional): Boundary tolerance radius ``r`` in pixels;
            defaults to :func:`default_tolerance` of the map size.

    Returns:
        dict: Python floats under the keys ``asa, br, bp, ue_np, ue_levin,
        co, ev, n_superpixels`` (see the private helpers of this module for
        each formula).
    """
    sp = _check_label_map('sp', sp)
    gt = _check_label_map('gt', gt)
    if sp.shape != gt.shape:
        raise ValueError(f'`sp` and `gt` must have the same (H, W) shape, '
                         f'got {sp.shape} and {gt.shape}; resize the '
                         'prediction to the annotation (nearest neighbour)')
    h, w = sp.shape
    if tolerance is None:
        tolerance = default_tolerance(h, w)
    elif (isinstance(tolerance, bool)
          or not isinstance(tolerance, (int, np.integer)) or tolerance < 0):
        raise ValueError(f'`tolerance` must be a non-negative int (a pixel '
                         f'radius) or None, got {tolerance!r}')
    img = None if image is None else _check_image(image, (h, w))

    n = h * w
    sp_flat, k = _relabel(sp)
    gt_flat, g = _relabel(gt)
    sp_size = np.bincount(sp_flat, minlength=k).astype(np.float64)
    gt_size = np.bincount(gt_flat, minlength=g).astype(np.float64)
    j, i, cnt = _contingency(sp_flat, k, gt_flat, g)

    br, bp = _boundary_recall_precision(
        boundary_map(sp), boundary_map(gt), int(tolerance))
    ev = (float('nan') if img is None else _explained_variation(
        sp_flat, k, sp_size, img))
    return dict(
        asa=_asa(j, cnt, n),
        br=br,
        bp=bp,
        ue_np=_ue_np(j, cnt, sp_size, n),
        ue_levin=_ue_levin(j, i, sp_size, gt_size),
        co=_compactness(sp_flat.reshape(h, w), k, sp_size),
        ev=ev,
        n_superpixels=float(k))
