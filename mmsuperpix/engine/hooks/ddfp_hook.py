"""Train DDFP's normalizing flow next to the segmentation model."""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from mmsuperpix.registry import HOOKS


@HOOKS.register_module()
class DDFPHook(Hook):
    """Fit the density estimator of ``DensityDescendingPerturbation``.

    After every training iteration in which the model collected teacher
    features (``model.flow_batch``: ``(P, D)`` features and ``(P,)`` labels,
    -1 = unlabeled), one optimisation step of the flow's negative
    log-likelihood is taken (``FlowDensityEstimator.train_step``) with the
    hook's own optimizer (DDFP: Adam lr 1e-3, betas (0.5, 0.9)), on the
    features plus Gaussian noise (``noise_std``). The learning rate decays
    exponentially to ``lr * final_lr_ratio`` at the end of training (DDFP's
    per-epoch StepLR with gamma ``0.01 ** (1 / epochs)``); gradients are
    averaged across ranks and clipped to ``max_grad_norm``.

    A step whose loss or gradients are not finite is skipped and logged, so
    NaNs never reach the flow's weights; the count is reported as
    ``train/flow_skipped``. The optimizer state and counters are saved in
    checkpoints and restored by ``--resume``; the flow weights themselves
    are part of the model.

    Args:
        lr (float): Initial learning rate. Defaults to 1e-3.
        betas (tuple): Adam betas. Defaults to (0.5, 0.9).
        noise_std (float): Input noise. Defaults to 0.05.
        max_grad_norm (float): Gradient clipping. Defaults to 50.
        final_lr_ratio (float): Learning-rate ratio reached at the end.
            Defaults to 0.01.
    """
    priority = 'NORMAL'

    def __init__(self,
                 lr: float = 1e-3,
                 betas: tuple = (0.5, 0.9),
                 noise_std: float = 0.05,
                 max_grad_norm: float = 50.0,
                 final_lr_ratio: float = 0.01) -> None:
        self.lr = lr
        self.betas = tuple(betas)
        self.noise_std = noise_std
        self.max_grad_norm = max_grad_norm
        self.final_lr_ratio = final_lr_ratio
        self.optimizer: Optional[torch.optim.Optimizer] = None
        self.steps = 0
        self.skipped = 0
        self._pending: Optional[dict] = None

    @staticmethod
    def _model(runner: Runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if not getattr(model, 'uses_flow', False):
            raise TypeError(
                'DDFPHook needs a SemiSupervisedSegmentor whose '
                'feature_perturbation has a flow '
                '(DensityDescendingPerturbation)')
        return model

    def before_train(self, runner: Runner) -> None:
        """Create the flow's optimizer (restoring a resumed state)."""
        flow = self._model(runner).perturbation.flow
        self.optimizer = flow.make_optimizer(self.lr, self.betas)
        if self._pending is not None:
            self.optimizer.load_state_dict(self._pending['optimizer'])
            self.steps = self._pending['steps']
            self.skipped = self._pending['skipped']
            self._pending = None

    def _set_lr(self, runner: Runner, model) -> None:
        start = model.semi_train_cfg['flow_start_iter']
        span = max(runner.max_iters - start, 1)
        progress = min(max(runner.iter - start, 0) / span, 1.0)
        for group in self.optimizer.param_groups:
            group['lr'] = self.lr * self.final_lr_ratio**progress

    def after_train_iter(self,
                         runner: Runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        """Train the flow on the features the model left behind."""
        model = self._model(runner)
        batch, model.flow_batch = model.flow_batch, None
        if batch is None:
            return
        self._set_lr(runner, model)
        flow = model.perturbation.flow
        flow.requires_grad_(True)
        try:
            result = flow.train_step(*batch, self.optimizer,
                                     max_pixels=batch[0].shape[0],
                                     noise_std=self.noise_std,
                                     max_grad_norm=self.max_grad_norm)
        finally:
            flow.requires_grad_(False)
        if result['skipped']:
            self.skipped += 1
            runner.logger.warning(
                f'DDFPHook: non-finite flow loss or gradients at iteration '
                f'{runner.iter + 1}; step skipped ({self.skipped} so far), '
                'flow weights unchanged')
        else:
            self.steps += 1
            runner.message_hub.update_scalar('train/flow_nll',
                                             result['loss'])
        runner.message_hub.update_scalar('train/flow_skipped',
                                         float(self.skipped))

    def before_save_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Save the flow optimizer and counters."""
        if self.optimizer is not None:
            checkpoint['ddfp_hook'] = dict(
                optimizer=self.optimizer.state_dict(), steps=self.steps,
                skipped=self.skipped)

    def after_load_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Remember the saved state; applied in ``before_train``."""
        self._pending = checkpoint.get('ddfp_hook')
