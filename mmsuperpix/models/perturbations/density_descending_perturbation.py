"""DDFP's density-descending feature perturbation (Wang et al., CVPR 2024)."""
from typing import Callable, Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.registry import MODELS
from ..utils.auxiliary_estimator import AuxiliaryEstimator

IGNORE = 255


@MODELS.register_module()
class DensityDescendingPerturbation(nn.Module, AuxiliaryEstimator):
    """Push classifier-input features toward lower feature density.

    A normalizing flow (``flow``) models the density of the classifier's
    output features. For features ``x`` at the classifier input, with zero
    noise ``n`` (``requires_grad``), the mixture negative log-likelihood of
    ``classifier(x.detach() + n)`` over the valid (confidently
    pseudo-labelled) pixels is differentiated with respect to ``n``; the
    perturbation is one step ``eps * g / ||g||_2`` (per-pixel L2 norm over
    channels), i.e. toward lower density, and the returned features
    ``x + delta`` keep ``x``'s graph so the student learns to classify
    them. The classifier runs with the auxiliary BatchNorm (``aux_bn``).

    The flow is an :class:`AuxiliaryEstimator`, trained by its own
    optimiser (``AuxiliaryEstimatorHook``): the segmentor hands the
    teacher's classifier features of the labeled and weak images to
    :meth:`observe_teacher` (``observes_teacher``), which keeps up to
    ``max_pixels`` random pixels with their labels (ground truth on
    labeled images, "unlabeled" = -1 otherwise, as DDFP's code does); after
    the main step :meth:`estimator_step` fits the flow's NLL on them plus
    Gaussian noise (``noise_std``), clipping the gradient norm to
    ``max_grad_norm`` (``FlowDensityEstimator.train_step``).

    Args:
        flow (dict): Config of the density estimator (e.g.
            ``FlowDensityEstimator``); ``in_channels`` must equal the
            classifier's output channels.
        eps (float): Step size. Defaults to 4.0 (DDFP).
        aux_bn (bool): Classify perturbed features with the auxiliary BN.
            Defaults to True.
        optimizer (dict): The flow's optimiser. Defaults to DDFP's
            ``Adam(lr=1e-3, betas=(0.5, 0.9))``.
        max_pixels (int): Flow training pixels per step. Defaults to 20480.
        noise_std (float): Noise added to them. Defaults to 0.05.
        max_grad_norm (float, optional): Flow gradient clipping. Defaults
            to 50.
    """
    observes_teacher = True

    def __init__(self,
                 flow: dict,
                 eps: float = 4.0,
                 aux_bn: bool = True,
                 optimizer: Optional[dict] = None,
                 max_pixels: int = 20480,
                 noise_std: float = 0.05,
                 max_grad_norm: Optional[float] = 50.0) -> None:
        super().__init__()
        if max_pixels < 1:
            raise ValueError(f'max_pixels must be >= 1, got {max_pixels}')
        self.flow = MODELS.build(flow)
        self.flow.requires_grad_(False)  # trained in estimator_step only
        self.eps = eps
        self.aux_bn = aux_bn
        self.estimator_optimizer = dict(optimizer or dict(
            type='Adam', lr=1e-3, betas=(0.5, 0.9)))
        self.max_pixels = max_pixels
        self.noise_std = noise_std
        self.max_grad_norm = max_grad_norm
        self._batch = None

    @torch.no_grad()
    def observe_teacher(self, features: torch.Tensor,
                        labels: torch.Tensor) -> None:
        """Keep random teacher feature pixels for the next flow step.

        Args:
            features (Tensor): Classifier outputs ``(N, D, h, w)``.
            labels (Tensor): ``(N, h, w)``: a class, -1 (unlabeled) or 255
                (ignored: padding, label borders).
        """
        keep = labels.flatten() != IGNORE
        pixels = features.permute(0, 2, 3, 1).reshape(
            -1, features.shape[1])[keep]
        targets = labels.flatten()[keep]
        if pixels.shape[0] > self.max_pixels:
            pick = torch.randperm(pixels.shape[0],
                                  device=pixels.device)[:self.max_pixels]
            pixels, targets = pixels[pick], targets[pick]
        self._batch = (pixels.float(), targets) if pixels.shape[0] else None

    def estimator_step(self, optimizer: torch.optim.Optimizer
                       ) -> Optional[Dict[str, float]]:
        """Fit the flow on the observed pixels (see class docs)."""
        batch, self._batch = self._batch, None
        if batch is None:
            return None
        self.flow.requires_grad_(True)
        try:
            result = self.flow.train_step(
                *batch, optimizer, max_pixels=batch[0].shape[0],
                noise_std=self.noise_std, max_grad_norm=self.max_grad_norm)
        finally:
            self.flow.requires_grad_(False)
        return dict(nll=result['loss'], skipped=result['skipped'])

    def forward(self, x: torch.Tensor,
                classifier: Callable[[torch.Tensor], torch.Tensor],
                valid: torch.Tensor) -> torch.Tensor:
        """Perturb ``x`` (N, C, h, w); ``classifier`` maps it to the density
        features (N, D, h, w); ``valid`` (N, h, w) bool selects the pixels
        whose density counts. Returns ``x + delta``."""
        noise = torch.zeros_like(x, requires_grad=True)
        with torch.enable_grad():
            feats = classifier(x.detach() + noise)
            picked = feats.permute(0, 2, 3, 1)[valid]
            if picked.shape[0] == 0 or not bool(
                    torch.isfinite(picked).all()):
                return x
            nll = self.flow.nll(picked.float())
            grad, = torch.autograd.grad(nll, noise)
        if not torch.isfinite(grad).all():
            return x  # a broken flow must not poison the student
        return x + self.eps * F.normalize(grad, p=2, dim=1)
