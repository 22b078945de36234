"""Boundary precision / recall of semantic label maps within a pixel band.

A pixel is on a boundary when one of its 4 neighbours has another label
(:func:`boundary_map`, the superpixel benchmark's definition).
Ground-truth pixels marked ``ignore_index`` (VOC's void outlines) first take
the label of the nearest labelled pixel, so the boundary runs through the
middle of the void band. A predicted boundary pixel is matched when a
ground-truth boundary pixel lies within ``tolerance`` pixels (Euclidean),
and vice versa; precision, recall and F1 use the totals over a dataset.
"""
from typing import Tuple

import numpy as np
from scipy import ndimage

from .superpixel_metrics import boundary_map

DEFAULT_TOLERANCE = 3


def fill_ignored(labels: np.ndarray, ignore_index: int) -> np.ndarray:
    """Give ignored pixels the label of the nearest labelled pixel."""
    ignored = labels == ignore_index
    if not ignored.any() or ignored.all():
        return labels
    _, (rows, cols) = ndimage.distance_transform_edt(
        ignored, return_indices=True)
    return labels[rows, cols]


def boundary_counts(pred: np.ndarray,
                    gt: np.ndarray,
                    ignore_index: int = 255,
                    tolerance: float = DEFAULT_TOLERANCE) -> np.ndarray:
    """Matched and total boundary pixels of one image.

    Args:
        pred (np.ndarray): ``(H, W)`` predicted class ids.
        gt (np.ndarray): ``(H, W)`` ground truth (``ignore_index`` = void).
        ignore_index (int): Void label. Defaults to 255.
        tolerance (float): Match distance in pixels. Defaults to 3.

    Returns:
        np.ndarray: int64 ``[pred matched, pred total, gt matched, gt
        total]``. An image whose ground truth is all void counts nothing.
    """
    pred, gt = np.asarray(pred), np.asarray(gt)
    if pred.shape != gt.shape or pred.ndim != 2:
        raise ValueError(f'prediction {pred.shape} and ground truth '
                         f'{gt.shape} must be (H, W) maps of one size')
    if (gt == ignore_index).all():
        return np.zeros(4, dtype=np.int64)
    pred_edges = boundary_map(pred)
    gt_edges = boundary_map(fill_ignored(gt, ignore_index))

    def near(edges: np.ndarray) -> np.ndarray:
        if not edges.any():
            return np.zeros_like(edges)
        return ndimage.distance_transform_edt(~edges) <= tolerance

    return np.array([(pred_edges & near(gt_edges)).sum(), pred_edges.sum(),
                     (gt_edges & near(pred_edges)).sum(), gt_edges.sum()],
                    dtype=np.int64)


def boundary_fscore(counts: np.ndarray) -> Tuple[float, float, float]:
    """Precision, recall and F1 from summed :func:`boundary_counts`.

    A ratio with nothing to count is NaN; F1 is 0 when either ratio is 0
    (e.g. no boundary predicted at all) and NaN when both are undefined.
    """
    matched_p, total_p, matched_g, total_g = (float(c) for c in counts)
    precision = matched_p / total_p if total_p else float('nan')
    recall = matched_g / total_g if total_g else float('nan')
    if precision == 0 or recall == 0:
        return precision, recall, 0.0
    return precision, recall, 2 * precision * recall / (precision + recall)
