"""DINO's per-iteration schedules and momentum-teacher update."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from mmsuperpix.registry import HOOKS


@HOOKS.register_module()
class DINOHook(Hook):
    """Before every training iteration set the model's schedules (teacher
    temperature, teacher momentum, last-layer freezing) for progress
    ``iter / max_iters`` through ``set_progress``; after it, move the
    teacher toward the student with ``update_teacher``. The model is a
    ``DINO``; the teacher's state lives in its checkpoint, so ``--resume``
    continues exactly.
    """

    priority = 'ABOVE_NORMAL'

    @staticmethod
    def _model(runner: Runner):
        model = runner.model.module if is_model_wrapper(runner.model) else \
            runner.model
        if not (hasattr(model, 'set_progress')
                and hasattr(model, 'update_teacher')):
            raise TypeError(f'DINOHook needs a DINO model (set_progress, '
                            f'update_teacher), got {type(model).__name__}')
        return model

    def before_train_iter(self, runner: Runner, batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        self._model(runner).set_progress(runner.iter / runner.max_iters)

    def after_train_iter(self, runner: Runner, batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        self._model(runner).update_teacher()
