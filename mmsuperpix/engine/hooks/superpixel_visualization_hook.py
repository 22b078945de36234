"""Save superpixel boundary overlays during validation and testing."""
import os.path as osp
from typing import Sequence

import cv2
from mmseg.engine.hooks import SegVisualizationHook
from mmseg.structures import SegDataSample

from mmsuperpix.registry import HOOKS
from mmsuperpix.utils.image_io import read_image
from mmsuperpix.visualization import draw_superpixel_boundaries


@HOOKS.register_module()
class SuperpixelVisualizationHook(SegVisualizationHook):
    """mmseg's visualization hook for superpixel predictions.

    Instead of class colour maps it draws the predicted superpixel
    boundaries (yellow) over the image, with the first annotator's
    ground-truth boundaries (magenta) when available, and hands the picture
    to the visualizer's backends (``<save_dir>/vis_image/*.png`` for the
    local backend; ``tools/test.py --show-dir`` sets ``save_dir``). Same
    arguments as :class:`mmseg.engine.hooks.SegVisualizationHook`.
    """

    def _after_iter(self,
                    runner,
                    batch_idx: int,
                    data_batch: dict,
                    outputs: Sequence[SegDataSample],
                    mode: str = 'val') -> None:
        if self.draw is False or mode == 'train' or \
                not self.every_n_inner_iters(batch_idx, self.interval):
            return
        for output in outputs:
            img = cv2.cvtColor(
                read_image(output.img_path, backend_args=self.backend_args),
                cv2.COLOR_BGR2RGB)
            labels = output.pred_sp_seg.data[0].cpu().numpy()
            gt = output.gt_annotations.data[0].cpu().numpy() if \
                'gt_annotations' in output else None
            if gt is not None and gt.shape != labels.shape:
                gt = None
            drawn = draw_superpixel_boundaries(
                img, labels, colour=(255, 255, 0), ground_truth=gt,
                gt_colour=(255, 0, 255))
            name = f'{mode}_{osp.basename(output.img_path)}'
            if self.show:
                self._visualizer.show(drawn, win_name=name,
                                      wait_time=self.wait_time)
            else:
                # runner.iter would build the train loop (and its dataset)
                # under tools/test.py, so tests count batches instead.
                step = batch_idx if mode == 'test' else runner.iter
                self._visualizer.add_image(name, drawn, step=step)
