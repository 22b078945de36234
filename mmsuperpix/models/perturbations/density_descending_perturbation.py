"""DDFP's density-descending feature perturbation (Wang et al., CVPR 2024)."""
from typing import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class DensityDescendingPerturbation(nn.Module):
    """Push classifier-input features toward lower feature density.

    A normalizing flow (``flow``, trained separately on teacher features;
    see ``DDFPHook``) models the density of the classifier's output
    features. For features ``x`` at the classifier input, with zero noise
    ``n`` (``requires_grad``), the mixture negative log-likelihood of
    ``classifier(x.detach() + n)`` over the valid (confidently
    pseudo-labelled) pixels is differentiated with respect to ``n``; the
    perturbation is one step ``eps * g / ||g||_2`` (per-pixel L2 norm over
    channels), i.e. toward lower density, and the returned features
    ``x + delta`` keep ``x``'s graph so the student learns to classify
    them. The classifier runs with the auxiliary BatchNorm (``aux_bn``).

    Args:
        flow (dict): Config of the density estimator (e.g.
            ``FlowDensityEstimator``); ``in_channels`` must equal the
            classifier's output channels.
        eps (float): Step size. Defaults to 4.0 (DDFP).
        aux_bn (bool): Classify perturbed features with the auxiliary BN.
            Defaults to True.
    """

    def __init__(self, flow: dict, eps: float = 4.0,
                 aux_bn: bool = True) -> None:
        super().__init__()
        self.flow = MODELS.build(flow)
        self.flow.requires_grad_(False)  # trained by DDFPHook only
        self.eps = eps
        self.aux_bn = aux_bn

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
