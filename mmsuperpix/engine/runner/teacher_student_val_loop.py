"""Validate the teacher and the student of a semi-supervised model."""
from typing import Dict

from mmengine.model import is_model_wrapper
from mmengine.runner import ValLoop

from mmsuperpix.registry import LOOPS


@LOOPS.register_module()
class TeacherStudentValLoop(ValLoop):
    """mmengine's ``ValLoop`` run twice, once per model.

    The model must expose ``semi_test_cfg['predict_on']``
    (``SemiSupervisedSegmentor``). Metrics are reported as
    ``teacher/<name>`` and ``student/<name>`` (e.g. ``teacher/mIoU``).
    """

    def run(self) -> Dict[str, float]:
        """Evaluate the teacher, then the student."""
        self.runner.call_hook('before_val')
        self.runner.call_hook('before_val_epoch')
        self.runner.model.eval()
        model = self.runner.model.module if is_model_wrapper(
            self.runner.model) else self.runner.model
        if not hasattr(model, 'semi_test_cfg'):
            raise TypeError(
                'TeacherStudentValLoop needs a semi-supervised model with '
                f'semi_test_cfg, got {type(model).__name__}; use ValLoop')
        original = model.semi_test_cfg['predict_on']
        metrics = {}
        try:
            for which in ('teacher', 'student'):
                model.semi_test_cfg['predict_on'] = which
                for idx, data_batch in enumerate(self.dataloader):
                    self.run_iter(idx, data_batch)
                results = self.evaluator.evaluate(len(self.dataloader.dataset))
                metrics.update({f'{which}/{k}': v for k, v in results.items()})
        finally:
            model.semi_test_cfg['predict_on'] = original
        self.runner.call_hook('after_val_epoch', metrics=metrics)
        self.runner.call_hook('after_val')
        return metrics
