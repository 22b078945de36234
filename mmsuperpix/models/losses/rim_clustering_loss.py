"""RIM's clustering objective for per-image superpixels (Suzuki, 2020)."""
import torch
import torch.nn as nn

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class RIMClusteringLoss(nn.Module):
    """Regularised information maximisation over one image's pixels.

    ``L = mean_x H(P(x)) - lam * H(mean_x P(x))`` (Eliasof et al., eq. 4):
    the first term makes each pixel's assignment confident, the second
    (the entropy of the mean assignment) spreads pixels evenly over the
    superpixels; ``lam`` trades the two and so governs how many of the
    ``N`` superpixels are used. Minimal (``-lam * log N``) for one-hot,
    balanced assignments.

    Args:
        lam (float): ``lambda``. Defaults to 2.0 (RIM, Eliasof et al.).
        eps (float): Added inside the logarithms. Defaults to 1e-16.

    Shapes:
        assignment ``(G, N, H, W)`` (softmax over ``N``) -> ``(G, )``, one
        value per image.
    """

    def __init__(self, lam: float = 2.0, eps: float = 1e-16) -> None:
        super().__init__()
        self.lam, self.eps = lam, eps

    def forward(self, assignment: torch.Tensor) -> torch.Tensor:
        pixel_entropy = -(assignment * (assignment + self.eps).log()).sum(1)
        mean = assignment.mean((2, 3))  # (G, N)
        mean_entropy = -(mean * (mean + self.eps).log()).sum(1)
        return pixel_entropy.mean((1, 2)) - self.lam * mean_entropy
