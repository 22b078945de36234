"""The per-image objective of unsupervised neural superpixels: RIM
(Suzuki, 2020) and Eliasof, Ben Zikri, Treister (ICIP 2022)."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.ops import soft_superpixel_image
from mmsuperpix.registry import MODELS
from .edge_aware_smoothness_loss import EdgeAwareSmoothnessLoss
from .laplacian_edge_loss import LaplacianEdgeLoss
from .rim_clustering_loss import RIMClusteringLoss


@MODELS.register_module()
class UnsupervisedSuperpixelLoss(nn.Module):
    """``L_clustering + alpha L_smoothness + beta L_recon + eta L_edge``
    (Eliasof et al., eq. 3), one value per image.

    - clustering: :class:`RIMClusteringLoss` (``lam``);
    - smoothness: :class:`EdgeAwareSmoothnessLoss` on the standardised RGB
      (``sigma``);
    - reconstruction: MSE of the 3 reconstruction channels to the
      standardised RGB, plus (``soft_image_recon``) the MSE of the soft
      superpixelated image (eq. 7);
    - edge: :class:`LaplacianEdgeLoss` of the input against the
      reconstruction and against the soft superpixelated image (eq. 8).

    RIM is ``soft_image_recon=False, eta=0``. The defaults are the paper's
    ``(lambda, alpha, beta, eta) = (2, 2, 10, 1)``; the authors' released
    script runs ``beta = 2`` and weighs each edge pair by ``alpha / 2``
    (1 at ``alpha = 2``), which equals ``eta = 1``.

    Args:
        lam (float): Defaults to 2.
        alpha (float): Defaults to 2.
        beta (float): Defaults to 10.
        eta (float): Defaults to 1; 0 switches the edge term off.
        sigma (float): Smoothness scale. Defaults to 8.
        soft_image_recon (bool): Defaults to True.
        edge_loss (dict, optional): Extra arguments of
            :class:`LaplacianEdgeLoss` (``softmax_dim``, ``log_input``).

    Shapes:
        logits ``(G, N, H, W)``, reconstruction ``(G, 3, H, W)`` and the
        standardised RGB ``(G, 3, H, W)`` -> a dict of ``(G, )`` weighted
        terms ``loss_clustering``, ``loss_smoothness``, ``loss_recon`` and
        (``eta > 0``) ``loss_edge``.
    """

    def __init__(self,
                 lam: float = 2.0,
                 alpha: float = 2.0,
                 beta: float = 10.0,
                 eta: float = 1.0,
                 sigma: float = 8.0,
                 soft_image_recon: bool = True,
                 edge_loss: Optional[dict] = None) -> None:
        super().__init__()
        self.alpha, self.beta, self.eta = alpha, beta, eta
        self.soft_image_recon = soft_image_recon
        self.clustering = RIMClusteringLoss(lam)
        self.smoothness = EdgeAwareSmoothnessLoss(sigma)
        self.edge = LaplacianEdgeLoss(**(edge_loss or {}))

    @staticmethod
    def _mse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return F.mse_loss(a, b, reduction='none').flatten(1).mean(1)

    def forward(self, logits: torch.Tensor, reconstruction: torch.Tensor,
                image: torch.Tensor) -> Dict[str, torch.Tensor]:
        assignment = logits.softmax(1)
        losses = dict(
            loss_clustering=self.clustering(assignment),
            loss_smoothness=self.alpha * self.smoothness(assignment, image))
        recon = self._mse(reconstruction, image)
        soft_image = None
        if self.soft_image_recon or self.eta:
            soft_image = soft_superpixel_image(assignment, image)
        if self.soft_image_recon:
            recon = recon + self._mse(soft_image, image)
        losses['loss_recon'] = self.beta * recon
        if self.eta:
            losses['loss_edge'] = self.eta * (
                self.edge(image, reconstruction) +
                self.edge(image, soft_image))
        return losses
