"""Train the auxiliary networks of a model with their own optimisers."""
from typing import Dict, Optional

import torch.nn as nn
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from mmsuperpix.models.utils.auxiliary_estimator import AuxiliaryEstimator
from mmsuperpix.registry import HOOKS, OPTIMIZERS


@HOOKS.register_module()
class AuxiliaryEstimatorHook(Hook):
    """Step every :class:`AuxiliaryEstimator` inside the model after the main
    optimiser (DDFP's flow, CDS's CLUB estimator).

    Each estimator's optimiser is built from its ``estimator_optimizer``
    config over its own parameters. Its learning rate decays exponentially
    from the configured value to ``lr * final_lr_ratio`` between its first
    step and the end of training (DDFP: per-epoch StepLR with gamma
    ``0.01 ** (1 / epochs)``). A step that the estimator refuses
    (non-finite loss or gradients) is counted and logged; its weights stay
    unchanged. Optimiser states, first steps and counters are saved in
    checkpoints and restored by ``--resume``.

    Logged per estimator ``<name>`` (its dotted path in the model):
    ``train/<name>.<scalar>`` for what :meth:`estimator_step` returns and
    ``train/<name>.skipped`` (steps refused so far).

    Args:
        final_lr_ratio (float): Learning-rate ratio reached at the end.
            Defaults to 0.01.
    """
    priority = 'NORMAL'

    def __init__(self, final_lr_ratio: float = 0.01) -> None:
        if final_lr_ratio <= 0:
            raise ValueError(
                f'final_lr_ratio must be > 0, got {final_lr_ratio}')
        self.final_lr_ratio = final_lr_ratio
        self.optimizers: Dict[str, object] = {}
        self.first_step: Dict[str, int] = {}
        self.skipped: Dict[str, int] = {}
        self._pending: Optional[dict] = None

    @staticmethod
    def estimators(model: nn.Module) -> Dict[str, AuxiliaryEstimator]:
        """The model's auxiliary estimators by dotted name."""
        if is_model_wrapper(model):
            model = model.module
        return {name: module for name, module in model.named_modules()
                if isinstance(module, AuxiliaryEstimator)}

    def before_train(self, runner: Runner) -> None:
        """Build the optimisers (restoring a resumed state)."""
        found = self.estimators(runner.model)
        if not found:
            raise TypeError(
                f'AuxiliaryEstimatorHook found no auxiliary estimator in '
                f'{type(runner.model).__name__} (e.g. the flow of '
                'DensityDescendingPerturbation); remove the hook')
        pending = self._pending or {}
        for name, module in found.items():
            cfg = dict(module.estimator_optimizer)
            cfg['params'] = [p for p in module.parameters()]
            optimizer = OPTIMIZERS.build(cfg)
            for group in optimizer.param_groups:
                group.setdefault('initial_lr', group['lr'])
            state = pending.get(name)
            if state is not None:
                optimizer.load_state_dict(state['optimizer'])
                self.first_step[name] = state['first_step']
                self.skipped[name] = state['skipped']
            self.optimizers[name] = optimizer
            self.skipped.setdefault(name, 0)
        self._pending = None

    def _set_lr(self, runner: Runner, name: str) -> None:
        start = self.first_step.setdefault(name, runner.iter)
        span = max(runner.max_iters - start, 1)
        progress = min(max(runner.iter - start, 0) / span, 1.0)
        for group in self.optimizers[name].param_groups:
            group['lr'] = group['initial_lr'] * self.final_lr_ratio**progress

    def after_train_iter(self,
                         runner: Runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        """One step of every estimator that has a stored batch."""
        for name, module in self.estimators(runner.model).items():
            started = name in self.first_step
            self._set_lr(runner, name)
            result = module.estimator_step(self.optimizers[name])
            if result is None:  # nothing stored: its schedule starts later
                if not started:
                    del self.first_step[name]
                continue
            result = dict(result)
            if result.pop('skipped', False):
                self.skipped[name] += 1
                runner.logger.warning(
                    f'AuxiliaryEstimatorHook: {name} refused a non-finite '
                    f'step at iteration {runner.iter + 1} '
                    f'({self.skipped[name]} so far); its weights are '
                    'unchanged')
            else:
                for key, value in result.items():
                    runner.message_hub.update_scalar(f'train/{name}.{key}',
                                                     value)
            runner.message_hub.update_scalar(f'train/{name}.skipped',
                                             float(self.skipped[name]))

    def before_save_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Save optimiser states and counters."""
        checkpoint['auxiliary_estimators'] = {
            name: dict(optimizer=opt.state_dict(),
                       first_step=self.first_step.get(name, runner.iter),
                       skipped=self.skipped.get(name, 0))
            for name, opt in self.optimizers.items()}

    def after_load_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Remember the saved state; applied in ``before_train``."""
        self._pending = checkpoint.get('auxiliary_estimators')
