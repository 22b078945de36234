"""The EMA teacher update of mean-teacher semi-supervised segmentation."""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from mmsuperpix.registry import HOOKS


@HOOKS.register_module()
class MeanTeacherHook(Hook):
    """Keep ``model.teacher`` an exponential moving average of
    ``model.student``.

    The teacher starts as a copy of the student when the supervised warm-up
    ends (``model.semi_train_cfg['sup_only_iters']``, read from the model so
    the two cannot disagree); after each later iteration ``i``

    ``teacher = d * teacher + (1 - d) * student``, ``d = min(1 - 1 / (i - s +
    1), decay)``

    (DDFP's warm-up: early teachers follow the student closely). Only
    parameters are averaged unless ``ema_buffers``: a teacher predicting in
    train mode (DDFP) keeps its own BN statistics.

    Args:
        decay (float): Final EMA decay. Defaults to 0.999.
        warmup (bool): Use the ``1 - 1 / (steps + 1)`` warm-up. Defaults to
            True.
        ema_buffers (bool): Also average floating-point buffers (BN running
            statistics). Defaults to False.
    """
    priority = 'ABOVE_NORMAL'

    def __init__(self, decay: float = 0.999, warmup: bool = True,
                 ema_buffers: bool = False) -> None:
        if not 0 <= decay < 1:
            raise ValueError(f'decay must be in [0, 1), got {decay}')
        self.decay = decay
        self.warmup = warmup
        self.ema_buffers = ema_buffers

    @staticmethod
    def _model(runner: Runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if not (hasattr(model, 'teacher') and hasattr(model, 'student')):
            raise TypeError(
                f'MeanTeacherHook needs a model with `teacher` and `student` '
                f'(e.g. SemiSupervisedSegmentor), got {type(model).__name__}')
        return model

    @torch.no_grad()
    def _update(self, model, decay: float) -> None:
        pairs = list(zip(model.teacher.parameters(),
                         model.student.parameters()))
        if self.ema_buffers or decay == 0:
            pairs += [(t, s) for t, s in zip(model.teacher.buffers(),
                                             model.student.buffers())
                      if t.is_floating_point() or decay == 0]
        for teacher, student in pairs:
            if decay == 0 or not teacher.is_floating_point():
                teacher.copy_(student)
            else:
                teacher.mul_(decay).add_(student.detach(), alpha=1 - decay)

    def before_train(self, runner: Runner) -> None:
        """Copy the student when training starts in the semi phase."""
        model = self._model(runner)
        if runner.iter == model.semi_train_cfg['sup_only_iters'] == 0:
            self._update(model, 0.0)

    def after_train_iter(self,
                         runner: Runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        """Copy at the end of the warm-up, average afterwards."""
        model = self._model(runner)
        start = model.semi_train_cfg['sup_only_iters']
        i = runner.iter  # index of the iteration just finished
        if i + 1 == start:
            self._update(model, 0.0)
        elif i >= start:
            decay = min(1 - 1 / (i - start + 1),
                        self.decay) if self.warmup else self.decay
            self._update(model, decay)
            runner.message_hub.update_scalar('train/ema_decay', decay)
