"""Local self-attention on the 1/16 bottleneck, as in AINet's public code."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.registry import MODELS
from .conv_blocks import scn_conv


def _local_attention(query: torch.Tensor, key: torch.Tensor,
                     value: torch.Tensor) -> torch.Tensor:
    """Per-channel softmax attention over each position's 3x3 window."""
    n, c, h, w = query.shape
    keys = F.unfold(key, 3, padding=1).view(n, c, 9, h, w)
    values = F.unfold(value, 3, padding=1).view(n, c, 9, h, w)
    weights = (query.unsqueeze(2) * keys / math.sqrt(c)).softmax(2)
    return (weights * values).sum(2)


@MODELS.register_module()
class LocalContextAttention(nn.Module):
    """Two rounds of 3x3-window self-attention (the second on dilated
    projections) that AINet's public code adds, residually, to the
    bottleneck ("not the key of our paper", says the code). The attention
    weights are a softmax over the 9 window positions computed separately
    for every channel, as in that code. Off by default in mmsuperpix's AINet
    configs, which follow the paper.

    Args:
        channels (int): Bottleneck channels. Defaults to 256.

    Shapes:
        ``(N, C, h, w)`` -> ``(N, C, h, w)`` (the attention output; the
        caller adds it to its input).
    """

    def __init__(self, channels: int = 256) -> None:
        super().__init__()
        self.first = nn.ModuleList(scn_conv(channels, channels)
                                   for _ in range(3))
        self.second = nn.ModuleList(scn_conv(channels, channels, dilation=2)
                                    for _ in range(3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Two attention rounds."""
        for projections in (self.first, self.second):
            x = _local_attention(*(proj(x) for proj in projections))
        return x
