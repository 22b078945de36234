"""Save loss / metric curves as a picture while training runs."""
import os.path as osp
from typing import Dict, Optional

from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmsuperpix.registry import HOOKS
from mmsuperpix.visualization import plot_training_curves


@HOOKS.register_module()
class MetricCurvesHook(Hook):
    """Redraw ``<log_dir>/<out_file>`` after every validation and at the end.

    Reads the scalars mmengine's ``LocalVisBackend`` writes to
    ``<log_dir>/vis_data/scalars.json`` (training losses, learning rate,
    validation metrics) and plots them with matplotlib. Runs after the
    ``LoggerHook`` so the latest validation is included.

    Args:
        out_file (str): File name of the figure inside the run's log dir.
            Defaults to ``'training_curves.png'``.
    """
    priority = 'LOW'

    def __init__(self, out_file: str = 'training_curves.png') -> None:
        self.out_file = out_file

    def _draw(self, runner: Runner) -> None:
        if runner.rank != 0:
            return
        scalars = osp.join(runner.log_dir, 'vis_data', 'scalars.json')
        if not osp.isfile(scalars):
            return  # nothing logged yet, or a visualizer without files
        out = plot_training_curves(scalars,
                                   osp.join(runner.log_dir, self.out_file))
        runner.logger.info(f'Training curves saved to {out}')

    def after_val_epoch(self,
                        runner: Runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        """Redraw after each validation."""
        self._draw(runner)

    def after_train(self, runner: Runner) -> None:
        """Draw the final curves."""
        self._draw(runner)
