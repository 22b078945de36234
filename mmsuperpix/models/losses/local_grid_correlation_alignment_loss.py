"""CDS's local-grid correlation alignment (Xu et al., AAAI 2024)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class LocalGridCorrelationAlignmentLoss(nn.Module):
    """KL divergence between two modalities' content, cell by cell.

    Each ``S x S`` cell's channel means of the content features are turned
    into a distribution over the channels (softmax); the loss is
    ``KL(P_a || P_b)`` summed over channels and averaged over cells and
    images (CDS's public code, with log-probabilities from ``log_softmax``
    for stability). Gradients reach both modalities.

    Args:
        cell_size (int): Cell side ``S``. Defaults to 16.
        loss_weight (float): Defaults to 1.0 (CDS).

    Shapes:
        two content maps ``(N, C, H, W)``, ``H, W`` multiples of ``S`` ->
        a scalar.
    """

    def __init__(self, cell_size: int = 16, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.cell_size, self.loss_weight = cell_size, loss_weight

    def forward(self, content_a: torch.Tensor,
                content_b: torch.Tensor) -> torch.Tensor:
        if content_a.shape != content_b.shape:
            raise ValueError(f'the two modalities differ in shape: '
                             f'{tuple(content_a.shape)} and '
                             f'{tuple(content_b.shape)}')
        height, width = content_a.shape[-2:]
        if height % self.cell_size or width % self.cell_size:
            raise ValueError(f'content size {(height, width)} must be a '
                             f'multiple of the cell size {self.cell_size}')
        log_a, log_b = (F.log_softmax(
            F.avg_pool2d(x.float(), self.cell_size), dim=1)
                        for x in (content_a, content_b))
        kl = (log_a.exp() * (log_a - log_b)).sum(1)  # (N, h, w)
        return self.loss_weight * kl.mean()
