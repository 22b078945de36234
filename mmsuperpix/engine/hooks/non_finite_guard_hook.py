"""Stop a diverging run before it saves NaN weights."""
import math
from typing import Mapping, Optional

import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmsuperpix.registry import HOOKS


class TrainingDivergedError(FloatingPointError):
    """A loss term or a weight became NaN or infinite."""


_ADVICE = ('Lower the learning rate (--cfg-options '
           'optim_wrapper.optimizer.lr=...), add gradient clipping '
           '(optim_wrapper.clip_grad=dict(max_norm=10)), or resume from the '
           'last checkpoint written before this point.')


@HOOKS.register_module()
class NonFiniteGuardHook(Hook):
    """Stop training at the first non-finite loss; never save NaN weights.

    - After every iteration, each loss term of the model's log variables
      (names containing ``'loss'``, the terms that are optimised) must be
      finite; otherwise :class:`TrainingDivergedError` names the iteration
      and the terms. It runs first among ``after_train_iter`` hooks, so the
      EMA teacher is not updated and no checkpoint is written for that
      iteration.
    - Before every checkpoint is written, every floating-point tensor of the
      model's state dict (teacher and flow included) must be finite; a
      loss can stay finite for one step after the weights overflow.

    DDFP's flow skips its own non-finite steps (``AuxiliaryEstimatorHook``);
    its NLL is not a log variable of the model and is not checked here.
    """
    priority = 'VERY_HIGH'

    def after_train_iter(self,
                         runner: Runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[Mapping] = None) -> None:
        """Raise if a loss term of this iteration is not finite."""
        values = {
            name: float(value.detach() if isinstance(value, torch.Tensor)
                        else value)
            for name, value in (outputs or {}).items() if 'loss' in name
        }
        bad = {k: v for k, v in values.items() if not math.isfinite(v)}
        if bad:
            terms = ', '.join(f'{k}={v}' for k, v in bad.items())
            raise TrainingDivergedError(
                f'training diverged at iteration {runner.iter + 1}: '
                f'non-finite loss ({terms}). Stopped before the weights '
                f'of this iteration were saved. {_ADVICE}')

    def before_save_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Refuse to save a state dict with a non-finite tensor."""
        step = checkpoint.get('meta', {}).get('iter', runner.iter)
        for name, value in checkpoint.get('state_dict', {}).items():
            if isinstance(value, torch.Tensor) and \
                    value.is_floating_point() and \
                    not torch.isfinite(value).all():
                raise TrainingDivergedError(
                    f'training diverged by iteration {step}: '
                    f'weight {name!r} holds NaN or infinite values, so its '
                    f'checkpoint was not written. {_ADVICE}')
