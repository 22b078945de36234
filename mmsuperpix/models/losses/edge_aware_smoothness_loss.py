"""The edge-aware smoothness prior of per-image superpixels (RIM)."""
import torch
import torch.nn as nn

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class EdgeAwareSmoothnessLoss(nn.Module):
    """``|dP|_1`` between neighbouring pixels, weighted down across image
    edges.

    Eliasof et al., eq. 5 (from RIM and Godard et al.): for x and y forward
    differences, ``sum_s |P_s(x') - P_s(x)| * exp(-||I(x') - I(x)||^2 /
    sigma)``, averaged over the pixel pairs, summed over the two
    directions.

    Args:
        sigma (float): Defaults to 8 (the paper, on standardised colours).

    Shapes:
        assignment ``(G, N, H, W)`` and image ``(G, C, H, W)`` -> ``(G, )``.
    """

    def __init__(self, sigma: float = 8.0) -> None:
        super().__init__()
        self.sigma = sigma

    def forward(self, assignment: torch.Tensor,
                image: torch.Tensor) -> torch.Tensor:
        total = assignment.new_zeros(assignment.shape[0])
        for dim in (2, 3):
            length = assignment.shape[dim] - 1
            if length < 1:
                continue
            d_assign = (assignment.narrow(dim, 1, length) -
                        assignment.narrow(dim, 0, length)).abs().sum(1)
            d_image = (image.narrow(dim, 1, length) -
                       image.narrow(dim, 0, length)).square().sum(1)
            weight = torch.exp(-d_image / self.sigma)
            total = total + (d_assign * weight).mean((1, 2))
        return total
