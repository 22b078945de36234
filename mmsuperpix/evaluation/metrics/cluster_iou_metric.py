"""Unsupervised segmentation scored after cluster-to-class matching."""
import json
import os
import os.path as osp
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log

from mmsuperpix.registry import METRICS
from ..functional.cluster_matching import (MATCH_MODES, cluster_confusion,
                                           match_clusters, matched_scores)


@METRICS.register_module()
class ClusterIoUMetric(BaseMetric):
    """Pixel accuracy and mIoU of cluster predictions, each cluster named
    by :func:`~mmsuperpix.evaluation.functional.match_clusters` fitted on
    all evaluated predictions and labels (NeuralEF's protocol; the model
    never sees the mapping).

    Data samples must hold ``pred_sem_seg.data`` ``(1, H, W)`` cluster ids
    ``0..num_clusters-1`` and ``gt_sem_seg.data`` ``(1, H, W)`` classes.
    The number of classes comes from the dataset's ``classes``.

    Args:
        num_clusters (int): ``K``, the head's outputs.
        mode (str): ``'majority'`` (many-to-one, the paper's default) or
            ``'hungarian'`` (one-to-one).
        ignore_index (int): Defaults to 255.
        output_dir (str, optional): Where to write ``cluster_mapping.json``
            (the class of every cluster, -1 = none). None: not written.
    """

    def __init__(self,
                 num_clusters: int,
                 mode: str = 'majority',
                 ignore_index: int = 255,
                 output_dir: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if mode not in MATCH_MODES:
            raise ValueError(f'mode must be one of {MATCH_MODES}, got '
                             f'{mode!r}')
        self.num_clusters, self.mode = num_clusters, mode
        self.ignore_index, self.output_dir = ignore_index, output_dir

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Accumulate each sample's ``(K, C)`` co-occurrence counts."""
        num_classes = len(self.dataset_meta['classes'])
        for sample in data_samples:
            pred = sample['pred_sem_seg']['data'].squeeze().cpu().numpy()
            gt = sample['gt_sem_seg']['data'].squeeze().cpu().numpy()
            self.results.append(cluster_confusion(
                pred, gt, self.num_clusters, num_classes, self.ignore_index))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Fit the mapping on everything, then aAcc and mIoU (percent)."""
        confusion = np.sum(results, axis=0)
        mapping = match_clusters(confusion, self.mode)
        scores = matched_scores(confusion, mapping)
        classes = self.dataset_meta['classes']
        used = int((mapping >= 0).sum())
        print_log(
            f'{self.mode} matching: {used} of {self.num_clusters} clusters '
            f'named; IoU per class: ' + ', '.join(
                f'{c} {100 * v:.1f}' for c, v in zip(classes, scores['IoU'])
                if np.isfinite(v)), logger=MMLogger.get_current_instance())
        if self.output_dir is not None:
            os.makedirs(self.output_dir, exist_ok=True)
            with open(osp.join(self.output_dir, 'cluster_mapping.json'),
                      'w') as f:
                json.dump(dict(mode=self.mode, classes=list(classes),
                               mapping=mapping.tolist()), f)
        return dict(aAcc=round(100 * scores['aAcc'], 2),
                    mIoU=round(100 * scores['mIoU'], 2))
