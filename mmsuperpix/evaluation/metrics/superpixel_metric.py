"""The superpixel benchmark as an mmengine metric."""
import logging
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log
from prettytable import PrettyTable

from mmsuperpix.evaluation.functional import superpixel_metrics
from mmsuperpix.registry import METRICS

PAIR_KEYS = ('asa', 'br', 'bp', 'ue_np', 'ue_levin', 'co', 'ev')
TABLE_NAMES = ('ASA', 'BR', 'BP', 'UE_NP', 'UE_Levin', 'CO', 'EV', '#SP')


def _to_numpy(data: Any) -> np.ndarray:
    if isinstance(data, torch.Tensor):
        return data.detach().cpu().numpy()
    return np.asarray(data)


@METRICS.register_module()
class SuperpixelMetric(BaseMetric):
    """Stutz et al.'s superpixel benchmark over (image, annotation) pairs.

    Every prediction is scored against every annotation of its image with
    :func:`~mmsuperpix.evaluation.functional.superpixel_metrics`; the
    results are the means over all pairs of ``asa, br, bp, ue_np, ue_levin,
    co, ev`` and the mean superpixel count over images as ``n_superpixels``.
    ``ev`` is averaged over the pairs whose image was usable (NaN if none).

    Data samples (dicts, as mmengine's ``Evaluator`` passes them) must hold:

    - ``pred_sp_seg.data``: (1, H, W) integer superpixel labels;
    - ``gt_annotations.data``: (A, H, W) one map per annotator, or, when
      absent, ``gt_sem_seg.data``: (1, H, W). Every label is a segment
      (there is no ignore index: 255 counts as one more segment).

    The image for EV is ``data_batch['inputs'][i]``, a (3, H, W) BGR tensor;
    it is used only when its (H, W) matches the prediction.

    Args:
        tolerance (int, optional): Boundary tolerance radius in pixels.
            Defaults to None (``round(0.0025 * diagonal)`` per image).
        collect_device (str): Device for collecting results across ranks,
            ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to None.
    """

    def __init__(self,
                 tolerance: Optional[int] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(
            collect_device=collect_device, prefix=prefix, **kwargs)
        if tolerance is not None and (isinstance(tolerance, bool)
                                      or not isinstance(
                                          tolerance, (int, np.integer))
                                      or tolerance < 0):
            raise ValueError(f'`tolerance` must be a non-negative int or '
                             f'None, got {tolerance!r}')
        self.tolerance = tolerance
        self._warned_ev = False

    def _image(self, data_batch: Any, index: int,
               shape: Sequence[int]) -> Optional[np.ndarray]:
        """(H, W, 3) image of sample ``index``, or None (EV is then NaN)."""
        inputs = (data_batch.get('inputs')
                  if isinstance(data_batch, dict) else None)
        image = None
        if inputs is not None and index < len(inputs):
            image = _to_numpy(inputs[index])
            if image.ndim != 3 or image.shape[0] != 3 or tuple(
                    image.shape[1:]) != tuple(shape):
                image = None
        if image is None:
            if not self._warned_ev:
                print_log(
                    'SuperpixelMetric: no (3, H, W) input image matching '
                    f'the prediction size {tuple(shape)} in data_batch'
                    "['inputs']; explained variation (ev) is NaN for such "
                    'images. Keep the test pipeline at the original size '
                    'to get EV.',
                    logger='current',
                    level=logging.WARNING)
                self._warned_ev = True
            return None
        return np.ascontiguousarray(image.transpose(1, 2, 0))

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Score each sample against each of its annotations.

        Appends one result per image: ``dict(pairs=[{key: float}, ...],
        n_superpixels=float)``.

        Args:
            data_batch (Any): The batch from the dataloader; its ``'inputs'``
                holds (3, H, W) BGR images.
            data_samples (Sequence[dict]): The predictions as dicts.
        """
        for index, sample in enumerate(data_samples):
            if 'pred_sp_seg' not in sample:
                raise KeyError('SuperpixelMetric needs `pred_sp_seg` in each '
                               'data sample (the superpixel labels); got '
                               f'keys {sorted(sample)}')
            pred = _to_numpy(sample['pred_sp_seg']['data'])
            if pred.ndim == 3 and pred.shape[0] == 1:
                pred = pred[0]
            if pred.ndim != 2:
                raise ValueError('`pred_sp_seg.data` must have shape '
                                 f'(1, H, W), got {pred.shape}')
            if 'gt_annotations' in sample:
                gts = _to_numpy(sample['gt_annotations']['data'])
            elif 'gt_sem_seg' in sample:
                gts = _to_numpy(sample['gt_sem_seg']['data'])
            else:
                raise KeyError('SuperpixelMetric needs `gt_annotations` '
                               '(A, H, W) or `gt_sem_seg` (1, H, W) in each '
                               f'data sample; got keys {sorted(sample)}')
            if gts.ndim == 2:
                gts = gts[None]
            if gts.ndim != 3 or gts.shape[0] == 0:
                raise ValueError('the ground truth must have shape (A, H, W) '
                                 f'with A >= 1, got {gts.shape}')
            image = self._image(data_batch, index, pred.shape)
            pairs = []
            for gt in gts:
                scores = superpixel_metrics(pred, gt, image, self.tolerance)
                n_sp = scores.pop('n_superpixels')
                pairs.append(scores)
            self.results.append(dict(pairs=pairs, n_superpixels=n_sp))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Average over all (image, annotation) pairs and print a table.

        Args:
            results (List[dict]): What :meth:`process` appended, all ranks.

        Returns:
            Dict[str, float]: ``asa, br, bp, ue_np, ue_levin, co, ev,
            n_superpixels``.
        """
        logger: MMLogger = MMLogger.get_current_instance()
        nan = float('nan')
        pairs = [pair for result in results for pair in result['pairs']]
        metrics = OrderedDict()
        for key in PAIR_KEYS:
            values = np.array([pair[key] for pair in pairs], np.float64)
            if key == 'ev':  # NaN where the image was not usable
                values = values[~np.isnan(values)]
            metrics[key] = float(values.mean()) if values.size else nan
        counts = [result['n_superpixels'] for result in results]
        metrics['n_superpixels'] = float(np.mean(counts)) if counts else nan

        table = PrettyTable()
        for name, value in zip(TABLE_NAMES, metrics.values()):
            table.add_column(
                name, [f'{value:.2f}' if name == '#SP' else f'{value:.4f}'])
        print_log(
            f'superpixel benchmark ({len(results)} images, {len(pairs)} '
            'image-annotation pairs):', logger)
        print_log('\n' + table.get_string(), logger=logger)
        return dict(metrics)
