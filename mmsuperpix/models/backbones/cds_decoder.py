"""CDS's superpixel decoder (Xu et al., AAAI 2024)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.registry import MODELS
from ..utils.conv_blocks import scn_conv, scn_deconv


@MODELS.register_module()
class CDSDecoder(nn.Module):
    """From the cell grid back to full resolution, guided by the content.

    The content features are resized (bilinear) to the ``H/S x W/S`` grid;
    each of ``log2(S)`` stages doubles the resolution with a 4x4 stride-2
    deconv + LeakyReLU, concatenates the content resized (bilinear) to the
    new size, and fuses both with a 3x3 conv-BN-LeakyReLU (the public code's
    ``Diffusion``).

    Args:
        channels (int): Content channels ``C``. Defaults to 32.
        cell_size (int): Grid cell side ``S``, a power of 2. Defaults to 16.

    Shapes:
        content ``(N, C, H, W)``, ``H, W`` multiples of ``S`` ->
        ``(N, C, H, W)``.
    """

    def __init__(self, channels: int = 32, cell_size: int = 16) -> None:
        super().__init__()
        steps = int(math.log2(cell_size))
        if 2**steps != cell_size:
            raise ValueError(f'cell_size must be a power of 2, got '
                             f'{cell_size}')
        self.cell_size = cell_size
        self.upsample = nn.ModuleList(
            scn_deconv(channels, channels) for _ in range(steps))
        self.fuse = nn.ModuleList(
            scn_conv(2 * channels, channels) for _ in range(steps))

    def forward(self, content: torch.Tensor) -> torch.Tensor:
        """Decoded features ``(N, C, H, W)``."""
        height, width = content.shape[-2:]
        y = F.interpolate(content, (height // self.cell_size,
                                    width // self.cell_size),
                          mode='bilinear', align_corners=False)
        for upsample, fuse in zip(self.upsample, self.fuse):
            y = upsample(y)
            guide = F.interpolate(content, y.shape[-2:], mode='bilinear',
                                  align_corners=False)
            y = fuse(torch.cat([guide, y], 1))
        return y
