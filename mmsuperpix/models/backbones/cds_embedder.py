"""CDS's three-scale pixel embedder (Xu et al., "Learning Invariant
Inter-pixel Correlations for Superpixel Generation", AAAI 2024)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmsuperpix.registry import MODELS
from ..utils.conv_blocks import scn_conv, scn_init_weights


@MODELS.register_module()
class CDSEmbedder(BaseModule):
    """Full-resolution pixel embedding from three scales.

    Two 3x3 conv-BN-LeakyReLU(0.1) layers at each of 1, 1/2 and 1/4
    resolution (3x3 stride-2 max pooling between them), the coarser two
    upsampled (nearest) and concatenated with the finest, a 3x3 conv-BN-
    LeakyReLU to ``out_channels``, then the input concatenated again and a
    last 3x3 conv (with bias) + BN + LeakyReLU, as CDS's public code. CDS
    trains one per modality (RGB and the auxiliary one), never shared.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        channels (int): Channels of each scale. Defaults to 64.
        out_channels (int): Embedding channels. Defaults to 32.
        init_cfg (dict, optional): mmengine init config; by default SCN's
            init (kaiming-normal(a=0.1), zero bias), as CDS.

    Shapes:
        ``(N, in_channels, H, W)`` with ``H, W`` multiples of 4 ->
        ``(N, out_channels, H, W)``.
    """

    def __init__(self,
                 in_channels: int = 3,
                 channels: int = 64,
                 out_channels: int = 32,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        self.scales = nn.ModuleList(
            nn.Sequential(scn_conv(in_channels if i == 0 else channels,
                                   channels), scn_conv(channels, channels))
            for i in range(3))
        self.pool = nn.MaxPool2d(3, 2, 1)
        self.merge = scn_conv(3 * channels, out_channels)
        self.refine = nn.Sequential(
            nn.Conv2d(out_channels + in_channels, out_channels, 3, padding=1),
            nn.BatchNorm2d(out_channels), nn.LeakyReLU(0.1, inplace=True))

    def init_weights(self) -> None:
        """SCN's initialisation unless an ``init_cfg`` is given."""
        if self.init_cfg is None:
            scn_init_weights(self)
        else:
            super().init_weights()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Embedding ``(N, out_channels, H, W)`` of ``x (N, C, H, W)``."""
        if x.shape[-2] % 4 or x.shape[-1] % 4:
            raise ValueError(f'input size {tuple(x.shape[-2:])} must be a '
                             'multiple of 4')
        levels = [self.scales[0](x)]
        for scale in self.scales[1:]:
            levels.append(scale(self.pool(levels[-1])))
        merged = torch.cat([levels[0], *(
            F.interpolate(y, scale_factor=2**i, mode='nearest')
            for i, y in enumerate(levels[1:], 1))], 1)
        return self.refine(torch.cat([self.merge(merged), x], 1))
