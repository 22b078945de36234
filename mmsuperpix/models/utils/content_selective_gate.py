"""CDS's content selective gate (Xu et al., AAAI 2024)."""
from typing import Tuple

import torch
import torch.nn as nn


class ContentSelectiveGate(nn.Module):
    """Split features into content and style with a channel gate.

    ``g = sigmoid(W2 relu(W1 GAP(x)))`` per image and channel (squeeze-and-
    excitation without reduction, ``W1, W2`` square and bias-free, as CDS's
    public code); content ``x * (1 - g)`` goes on to the superpixel decoder,
    style ``x * g`` is summarised by its global average (the style vector
    whose mutual information across modalities CDS minimises). Shared by the
    modalities.

    Args:
        channels (int): Feature channels ``C``. Defaults to 32.

    Shapes:
        ``(N, C, H, W)`` -> content and style ``(N, C, H, W)`` (summing to
        the input).
    """

    def __init__(self, channels: int = 32) -> None:
        super().__init__()
        self.gate = nn.Sequential(
            nn.Linear(channels, channels, bias=False), nn.ReLU(inplace=True),
            nn.Linear(channels, channels, bias=False), nn.Sigmoid())

    def forward(self, x: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(content, style)`` maps of ``x (N, C, H, W)``."""
        g = self.gate(x.mean((2, 3)))[:, :, None, None]
        return x * (1 - g), x * g
