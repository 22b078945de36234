"""Cluster-to-class matching of unsupervised segmentation (NeuralEF, Deng
et al., ICCV 2023): clusters are named by the classes they overlap most,
fitted on the evaluated predictions themselves, as the paper does."""
from typing import Dict

import numpy as np
from scipy.optimize import linear_sum_assignment

#: Matching modes: many-to-one majority voting (the paper's default) and
#: one-to-one Hungarian assignment.
MATCH_MODES = ('majority', 'hungarian')


def cluster_confusion(clusters: np.ndarray, labels: np.ndarray,
                      num_clusters: int, num_classes: int,
                      ignore_index: int = 255) -> np.ndarray:
    """Co-occurrence counts of cluster ids and class labels.

    Args:
        clusters (np.ndarray): ``(H, W)`` cluster ids ``0..num_clusters-1``.
        labels (np.ndarray): ``(H, W)`` classes ``0..num_classes-1`` or
            ``ignore_index`` (skipped).
        num_clusters (int): ``K``.
        num_classes (int): ``C``.
        ignore_index (int): Defaults to 255.

    Returns:
        np.ndarray: ``(K, C)`` int64.
    """
    clusters, labels = np.asarray(clusters), np.asarray(labels)
    if clusters.shape != labels.shape:
        raise ValueError(f'clusters {clusters.shape} and labels '
                         f'{labels.shape} differ in shape')
    keep = labels != ignore_index
    clusters, labels = clusters[keep].astype(np.int64), \
        labels[keep].astype(np.int64)
    for name, values, size in (('cluster id', clusters, num_clusters),
                               ('class', labels, num_classes)):
        if values.size and (values.min() < 0 or values.max() >= size):
            raise ValueError(f'{name} out of range 0..{size - 1}: '
                             f'{values.min()}..{values.max()}')
    counts = np.bincount(clusters * num_classes + labels,
                         minlength=num_clusters * num_classes)
    return counts.reshape(num_clusters, num_classes)


def match_clusters(confusion: np.ndarray,
                   mode: str = 'majority') -> np.ndarray:
    """The class of every cluster.

    - ``'majority'``: each cluster takes the class with the highest
      IoU-normalised co-occurrence ``n_kc / (n_k + n_c - n_kc)`` (many
      clusters may share a class);
    - ``'hungarian'``: a one-to-one assignment maximising the matched
      co-occurrences (``scipy.optimize.linear_sum_assignment``); with more
      clusters than classes the rest stay unmatched.

    Args:
        confusion (np.ndarray): ``(K, C)`` from :func:`cluster_confusion`.
        mode (str): One of :data:`MATCH_MODES`.

    Returns:
        np.ndarray: ``(K, )`` int64 class per cluster, -1 for clusters with
        no pixel or left unmatched.
    """
    if mode not in MATCH_MODES:
        raise ValueError(f'mode must be one of {MATCH_MODES}, got {mode!r}')
    confusion = np.asarray(confusion, dtype=np.float64)
    mapping = np.full(len(confusion), -1, dtype=np.int64)
    if mode == 'majority':
        union = confusion.sum(1, keepdims=True) + confusion.sum(0) - confusion
        iou = np.divide(confusion, union, out=np.zeros_like(confusion),
                        where=union > 0)
        used = confusion.sum(1) > 0
        mapping[used] = iou[used].argmax(1)
        return mapping
    rows, cols = linear_sum_assignment(confusion, maximize=True)
    matched = confusion[rows, cols] > 0
    mapping[rows[matched]] = cols[matched]
    return mapping


def matched_scores(confusion: np.ndarray,
                   mapping: np.ndarray) -> Dict[str, np.ndarray]:
    """Pixel accuracy and per-class IoU after mapping clusters to classes.

    Pixels of unmatched clusters count as wrong.

    Returns:
        dict: ``aAcc`` (float), ``IoU`` ``(C, )`` (NaN for classes absent
        from both ground truth and prediction) and ``mIoU`` (their mean).
    """
    confusion = np.asarray(confusion, dtype=np.float64)
    num_classes = confusion.shape[1]
    matched = mapping >= 0
    predicted = np.zeros((num_classes, num_classes))
    np.add.at(predicted, mapping[matched], confusion[matched])
    hits = np.diagonal(predicted)
    union = confusion.sum(0) + predicted.sum(1) - hits
    with np.errstate(invalid='ignore', divide='ignore'):
        iou = np.where(union > 0, hits / union, np.nan)
    total = confusion.sum()
    return dict(aAcc=float(hits.sum() / total) if total else float('nan'),
                IoU=iou, mIoU=float(np.nanmean(iou)) if
                np.isfinite(iou).any() else float('nan'))
