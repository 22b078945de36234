"""Stop a diverging run before it saves NaN weights."""
import math
from typing import Any, Mapping, Optional

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
      model's state dict (teacher included) and of the optimiser's state
      must be finite; a loss can stay finite for one step after the weights
      overflow. (Auxiliary estimators such as DDFP's flow skip their own
      non-finite steps, and add their state after this hook has run.)

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
        """Refuse to save a checkpoint with a non-finite tensor in what the
        runner put in it (weights, optimiser state, schedulers), logs
        (``meta``, the message hub) excepted."""
        step = checkpoint.get('meta', {}).get('iter', runner.iter)
        for key, value in checkpoint.items():
            if key in ('meta', 'message_hub'):
                continue
            name = _first_non_finite(value, key)
            if name is not None:
                raise TrainingDivergedError(
                    f'training diverged by iteration {step}: {name} holds '
                    'NaN or infinite values, so its checkpoint was not '
                    f'written. {_ADVICE}')


def _first_non_finite(value: Any, name: str) -> Optional[str]:
    """The path (``state_dict['conv.weight']``) of the first floating-point
    tensor with a NaN or infinity in a nest of dicts / lists, or None."""
    if isinstance(value, torch.Tensor):
        return name if value.is_floating_point() and \
            not torch.isfinite(value).all() else None
    items = value.items() if isinstance(value, Mapping) else enumerate(
        value) if isinstance(value, (list, tuple)) else ()
    for key, item in items:
        found = _first_non_finite(item, f'{name}[{key!r}]')
        if found is not None:
            return found
    return None
