"""The teacher update of teacher-student semi-supervised segmentation."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from mmsuperpix.models.utils import ema_update_
from mmsuperpix.registry import HOOKS


@HOOKS.register_module()
class MeanTeacherHook(Hook):
    """Update ``model.teacher`` from ``model.student`` after every iteration,
    in the mode the model's ``semi_train_cfg['teacher']`` names.

    - ``'student'``: the teacher's parameters become the student's after
      every step, while the teacher keeps its own BN statistics. This is
      what DDFP's official loop does in effect (``t_params.data =
      s_params.data`` makes its later EMA copy a no-op): the pseudo-labels
      come from the current student, as in UniMatch.
    - ``'ema'``: mean teacher, ``teacher = d * teacher + (1 - d) *
      student`` with ``d = min(1 - 1 / (n + 1), decay)`` where ``n`` counts
      the updates since the supervised warm-up ended (the warm-up of DDFP's
      code; ``warmup=False`` uses ``decay`` throughout). mmdet's spelling
      ``momentum = 1 - decay`` is accepted too (``momentum=0.001`` is
      ``decay=0.999``). Only parameters are averaged unless
      ``ema_buffers``: a teacher predicting in train mode keeps its own BN
      statistics.

    In both modes the teacher starts as a full copy of the student when the
    warm-up ends (``semi_train_cfg['sup_only_iters']``, read from the model
    so the two cannot disagree) and the model's ``teacher_ready`` flag is
    set, without which the model refuses to make pseudo-labels.

    Args:
        decay (float, optional): Final EMA decay. Defaults to 0.999 unless
            ``momentum`` is given.
        momentum (float, optional): mmdet's name, ``1 - decay``.
        warmup (bool): Use the ``1 - 1 / (n + 1)`` warm-up. Defaults to
            True.
        ema_buffers (bool): Also average floating-point buffers (BN running
            statistics). Defaults to False.
    """
    priority = 'ABOVE_NORMAL'
    MODES = ('student', 'ema')

    def __init__(self, decay: Optional[float] = None,
                 momentum: Optional[float] = None, warmup: bool = True,
                 ema_buffers: bool = False) -> None:
        if decay is not None and momentum is not None:
            raise ValueError('give decay or momentum (= 1 - decay), not both')
        if decay is None:
            decay = 0.999 if momentum is None else 1 - momentum
        if not 0 <= decay < 1:
            raise ValueError(f'decay must be in [0, 1) (momentum in (0, 1]), '
                             f'got decay {decay}')
        self.decay = decay
        self.warmup = warmup
        self.ema_buffers = ema_buffers

    def _model(self, runner: Runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if not (hasattr(model, 'teacher') and hasattr(model, 'student')):
            raise TypeError(
                f'MeanTeacherHook needs a model with `teacher` and `student` '
                f'(e.g. SemiSupervisedSegmentor), got {type(model).__name__}')
        mode = model.semi_train_cfg.get('teacher', 'ema')
        if mode not in self.MODES:
            raise ValueError(f"semi_train_cfg['teacher'] must be one of "
                             f'{self.MODES}, got {mode!r}')
        return model, mode

    @staticmethod
    def _update(model, decay: float, buffers: bool) -> None:
        ema_update_(model.teacher, model.student, decay, buffers)

    def _start(self, model) -> None:
        self._update(model, 0.0, buffers=True)
        model.teacher_ready = True

    def before_train(self, runner: Runner) -> None:
        """Copy the student when training starts in the semi phase; a
        resumed run past the warm-up has its teacher from the checkpoint."""
        model, _ = self._model(runner)
        start = model.semi_train_cfg['sup_only_iters']
        if runner.iter == start == 0:
            self._start(model)
        elif runner.iter >= start:
            model.teacher_ready = True

    def after_train_iter(self,
                         runner: Runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        """Copy at the end of the warm-up, update afterwards."""
        model, mode = self._model(runner)
        start = model.semi_train_cfg['sup_only_iters']
        i = runner.iter  # index of the iteration just finished
        if i + 1 == start:
            self._start(model)
        elif i >= start and mode == 'student':
            self._update(model, 0.0, buffers=False)
        elif i >= start:
            decay = min(1 - 1 / (i - start + 1),
                        self.decay) if self.warmup else self.decay
            self._update(model, decay, buffers=self.ema_buffers)
            runner.message_hub.update_scalar('train/ema_decay', decay)
