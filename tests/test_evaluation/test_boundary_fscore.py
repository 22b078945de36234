"""Boundary F-score: hand-computed cases and the mmengine metric."""
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from mmsuperpix.evaluation.functional import (boundary_counts,
                                              boundary_fscore, boundary_map,
                                              fill_ignored)
from mmsuperpix.registry import METRICS

init_default_scope('mmseg')


def split(col, h=10, w=20):
    labels = np.zeros((h, w), np.int64)
    labels[:, col:] = 1
    return labels


def test_boundaries_are_both_sides_of_a_label_change():
    edges = boundary_map(split(5, 3, 8))
    assert edges.sum() == 6 and edges[:, 4].all() and edges[:, 5].all()


@pytest.mark.parametrize('shift,matched', [(0, True), (2, True), (3, True),
                                           (5, False)])
def test_tolerance_band(shift, matched):
    counts = boundary_counts(split(10 + shift), split(10), tolerance=3)
    assert counts[1] == counts[3] == 20  # two columns of 10 px each
    # pixel columns 9|10 vs 9+s|10+s: distances s-1..s+1
    expected = {0: 20, 2: 20, 3: 20, 5: 0}[shift]
    assert counts[0] == expected and counts[2] == expected
    precision, recall, f1 = boundary_fscore(counts)
    assert f1 == (1.0 if matched else 0.0)


def test_partial_match_hand_computed():
    # shift 4: columns 13|14 vs 9|10: distances 3 (13-10) and 4, 5
    counts = boundary_counts(split(14), split(10), tolerance=3)
    assert counts.tolist() == [10, 20, 10, 20]
    assert boundary_fscore(counts) == (0.5, 0.5, 0.5)


def test_void_band_is_split_between_its_neighbours():
    gt = split(10)
    gt[:, 8:13] = 255  # a 5-px void outline like VOC's
    filled = fill_ignored(gt, 255)
    assert (filled[:, :10] == 0).all() and (filled[:, 11:] == 1).all()
    assert boundary_counts(split(10), gt)[0] == 20
    assert boundary_counts(split(10), np.full((10, 20), 255)).sum() == 0


def test_no_predicted_boundary_scores_zero():
    counts = boundary_counts(np.zeros((10, 20), np.int64), split(10))
    precision, recall, f1 = boundary_fscore(counts)
    assert np.isnan(precision) and recall == 0 and f1 == 0
    with pytest.raises(ValueError, match='one size'):
        boundary_counts(np.zeros((3, 3)), np.zeros((3, 4)))


def test_metric_adds_boundary_scores_to_miou():
    metric = METRICS.build(dict(type='BoundaryIoUMetric',
                                iou_metrics=['mIoU']))
    metric.dataset_meta = dict(classes=('a', 'b'))
    gt = torch.from_numpy(split(10))
    samples = [dict(pred_sem_seg=dict(data=torch.from_numpy(split(s))[None]),
                    gt_sem_seg=dict(data=gt[None])) for s in (10, 14)]
    metric.process({}, samples)
    scores = metric.evaluate(2)
    assert scores['bPrecision'] == scores['bRecall'] == 75.0  # (20+10)/40
    assert scores['bFscore'] == 75.0 and 0 < scores['mIoU'] < 100
