"""Cluster-to-class matching on hand-computed confusion matrices."""
import json

import numpy as np
import pytest
import torch

from mmsuperpix.evaluation import ClusterIoUMetric
from mmsuperpix.evaluation.functional import (cluster_confusion,
                                              match_clusters, matched_scores)


def test_confusion_counts_and_ignores():
    clusters = np.array([[0, 0, 1], [2, 2, 1]])
    labels = np.array([[1, 1, 0], [1, 255, 0]])
    confusion = cluster_confusion(clusters, labels, 3, 2)
    np.testing.assert_array_equal(confusion, [[0, 2], [2, 0], [0, 1]])
    with pytest.raises(ValueError, match='cluster id out of range'):
        cluster_confusion(clusters, labels, 2, 2)


def test_majority_voting_is_many_to_one_by_iou():
    # clusters x classes; cluster 2 overlaps class 0 most in counts (4 vs 3)
    # but class 1 by IoU: 4 / (7 + 40 - 4) < 3 / (7 + 3 - 3)
    confusion = np.array([[36, 0], [0, 0], [4, 3], [0, 0]])
    mapping = match_clusters(confusion, 'majority')
    np.testing.assert_array_equal(mapping, [0, -1, 1, -1])
    scores = matched_scores(confusion, mapping)
    # class 0: hits 36, gt 40, predicted 36 -> 0.9; class 1: hits 3, gt 3,
    # predicted 7 -> 3 / 7
    np.testing.assert_allclose(scores['IoU'], [0.9, 3 / 7])
    assert scores['aAcc'] == pytest.approx(39 / 43)
    assert scores['mIoU'] == pytest.approx((0.9 + 3 / 7) / 2)


def test_hungarian_is_one_to_one():
    confusion = np.array([[10, 0, 0], [8, 1, 0], [0, 0, 5]])
    mapping = match_clusters(confusion, 'hungarian')
    np.testing.assert_array_equal(mapping, [0, 1, 2])
    majority = match_clusters(confusion, 'majority')
    np.testing.assert_array_equal(majority, [0, 0, 2])
    # one-to-one with more clusters than classes leaves clusters unmatched
    wide = match_clusters(np.array([[5, 0], [4, 0], [0, 3]]), 'hungarian')
    np.testing.assert_array_equal(wide, [0, -1, 1])
    with pytest.raises(ValueError, match='mode'):
        match_clusters(confusion, 'greedy')


def test_metric_fits_the_mapping_on_all_samples(tmp_path):
    metric = ClusterIoUMetric(num_clusters=3, output_dir=str(tmp_path))
    metric.dataset_meta = dict(classes=('bg', 'cat'))
    samples = []
    for pred, gt in (([[0, 0], [2, 2]], [[0, 0], [1, 1]]),
                     ([[2, 0], [1, 1]], [[1, 0], [255, 255]])):
        samples.append(dict(
            pred_sem_seg=dict(data=torch.tensor([pred])),
            gt_sem_seg=dict(data=torch.tensor([gt]))))
    metric.process({}, samples)
    results = metric.evaluate(2)
    assert results == {'aAcc': 100.0, 'mIoU': 100.0}
    saved = json.loads((tmp_path / 'cluster_mapping.json').read_text())
    assert saved['mapping'] == [0, -1, 1]
