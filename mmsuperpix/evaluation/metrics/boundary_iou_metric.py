"""mmseg's IoUMetric plus the boundary F-score of the predictions."""
from typing import Dict, Sequence

import numpy as np
from mmseg.evaluation.metrics import IoUMetric

from mmsuperpix.registry import METRICS
from ..functional.boundary_fscore import (DEFAULT_TOLERANCE, boundary_counts,
                                          boundary_fscore)


@METRICS.register_module()
class BoundaryIoUMetric(IoUMetric):
    """``IoUMetric`` (mIoU, aAcc, ...) plus boundary precision, recall and
    F1 within a ``tolerance``-pixel band (see
    :mod:`mmsuperpix.evaluation.functional.boundary_fscore`), reported as
    ``bPrecision``, ``bRecall`` and ``bFscore`` in percent like mIoU.

    Args:
        tolerance (float): Band half-width in pixels. Defaults to 3.
        **kwargs: ``IoUMetric`` arguments.
    """

    def __init__(self, tolerance: float = DEFAULT_TOLERANCE,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.tolerance = tolerance

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """IoUMetric's areas plus the boundary counts of each sample."""
        before = len(self.results)
        super().process(data_batch, data_samples)
        if self.format_only:
            return
        for i, sample in enumerate(data_samples):
            pred = sample['pred_sem_seg']['data'].squeeze().cpu().numpy()
            gt = sample['gt_sem_seg']['data'].squeeze().cpu().numpy()
            counts = boundary_counts(pred, gt, self.ignore_index,
                                     self.tolerance)
            self.results[before + i] = (*self.results[before + i], counts)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """mIoU & co. from IoUMetric, then the boundary scores."""
        counts = sum((r[4] for r in results), np.zeros(4, dtype=np.int64))
        metrics = super().compute_metrics([r[:4] for r in results])
        if self.format_only:
            return metrics
        for key, value in zip(('bPrecision', 'bRecall', 'bFscore'),
                              boundary_fscore(counts)):
            metrics[key] = round(value * 100, 2)
        return metrics
