"""SCN's superpixel loss: reconstruct labels and positions through the grid
association (Yang et al., CVPR 2020, following SSN)."""
from typing import Dict

import torch
import torch.nn as nn

from mmsuperpix.ops import (label_reconstruction_probability,
                            pool_by_association, unpool_by_association)
from mmsuperpix.registry import MODELS


@MODELS.register_module()
class SuperpixelReconstructionLoss(nn.Module):
    """Semantic (label) + position reconstruction loss of SCN.

    With ``Q`` the association and ``rec = unpool(pool(f, Q), Q)``:

    - ``loss_sem = -sum_p log(rec_onehot(p)[label(p)] + 1e-8) / N``: the
      cross-entropy of the reconstructed one-hot labels (computed with
      :func:`label_reconstruction_probability`: no dense one-hot tensor and
      no cap on the number of segments, unlike the public code's 50);
    - ``loss_pos = sum_p ||rec_xy(p) - xy(p)||_2 / N * m / S`` with pixel
      coordinates ``xy``, ``m = pos_weight`` (0.003) and ``S`` the cell size
      (the L2 norm, not its square, as in SCN's code).

    Both are summed over pixels, divided by the batch size ``N`` and scaled
    by ``loss_weight`` (SCN's empirical 0.005).

    Args:
        cell_size (int): Grid cell side. Defaults to 16.
        pos_weight (float): ``m``. Defaults to 0.003.
        loss_weight (float): Overall factor. Defaults to 0.005.
    """

    def __init__(self,
                 cell_size: int = 16,
                 pos_weight: float = 0.003,
                 loss_weight: float = 0.005) -> None:
        super().__init__()
        self.cell_size = cell_size
        self.pos_weight = pos_weight
        self.loss_weight = loss_weight

    def forward(self, assoc: torch.Tensor,
                labels: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Compute both terms.

        Args:
            assoc (Tensor): Association ``(N, 9, H, W)``.
            labels (Tensor): Ground-truth segment ids ``(N, H, W)``.

        Returns:
            dict: ``loss_sem`` and ``loss_pos`` (scalars, weighted).
        """
        num, _, height, width = assoc.shape
        prob = label_reconstruction_probability(labels, assoc, self.cell_size)
        loss_sem = -torch.log(prob + 1e-8).sum() / num
        ys, xs = torch.meshgrid(
            torch.arange(height, dtype=assoc.dtype, device=assoc.device),
            torch.arange(width, dtype=assoc.dtype, device=assoc.device),
            indexing='ij')
        xy = torch.stack([xs, ys])[None].expand(num, -1, -1, -1)
        rec = unpool_by_association(
            pool_by_association(xy, assoc, self.cell_size), assoc,
            self.cell_size)
        loss_pos = (rec - xy).norm(dim=1).sum() / num * (
            self.pos_weight / self.cell_size)
        return dict(loss_sem=self.loss_weight * loss_sem,
                    loss_pos=self.loss_weight * loss_pos)
