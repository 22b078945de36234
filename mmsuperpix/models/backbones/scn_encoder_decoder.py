"""SCN's fully convolutional encoder-decoder (Yang et al., CVPR 2020)."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmsuperpix.registry import MODELS
from ..utils.conv_blocks import scn_conv, scn_deconv, scn_init_weights


@MODELS.register_module()
class SCNEncoderDecoder(BaseModule):
    """The superpixel network of SCN: a U-shaped conv-BN-LeakyReLU net.

    Encoder: two 3x3 convs per level with channels ``16-32-64-128-256``, each
    level after the first halving the resolution (stride-2 first conv), down
    to 1/16 (the cell size). Decoder: at each level a 4x4 stride-2 deconv,
    concatenation with the encoder skip, and a 3x3 conv, back to full
    resolution. The association head (a 3x3 conv to 9 channels + softmax)
    is :class:`AssociationHead`.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        channels (Sequence[int]): Channels per level, finest first.
            Defaults to SCN's ``(16, 32, 64, 128, 256)``.
        init_cfg (dict, optional): mmengine init config; by default SCN's
            own init (kaiming-normal(a=0.1), zero bias).

    Shapes:
        input ``(N, in_channels, H, W)`` with ``H, W`` multiples of 16;
        output dict with ``features`` and ``embedding``, both
        ``(N, channels[0], H, W)`` (the same tensor for SCN), and
        ``bottleneck`` ``(N, channels[-1], H/16, W/16)``.
    """

    def __init__(self,
                 in_channels: int = 3,
                 channels: Sequence[int] = (16, 32, 64, 128, 256),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        chans = [in_channels, *channels]
        self.encoder = nn.ModuleList(
            nn.Sequential(
                scn_conv(chans[i], chans[i + 1], stride=1 if i == 0 else 2),
                scn_conv(chans[i + 1], chans[i + 1]))
            for i in range(len(channels)))
        self.upsample = nn.ModuleList(
            scn_deconv(channels[i + 1], channels[i])
            for i in range(len(channels) - 1))
        self.fuse = nn.ModuleList(
            scn_conv(2 * channels[i], channels[i])
            for i in range(len(channels) - 1))
        self.stride = 2**(len(channels) - 1)

    def init_weights(self) -> None:
        """SCN's initialisation unless an ``init_cfg`` is given."""
        if self.init_cfg is None:
            scn_init_weights(self)
        else:
            super().init_weights()

    def transform_bottleneck(self, x: torch.Tensor) -> torch.Tensor:
        """Hook for subclasses to refine the 1/16 features (identity)."""
        return x

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Encode to 1/16 and decode back to full resolution."""
        if x.shape[-2] % self.stride or x.shape[-1] % self.stride:
            raise ValueError(
                f'input size {tuple(x.shape[-2:])} must be a multiple of '
                f'{self.stride}; resize or pad the image first')
        skips = []
        for level in self.encoder:
            x = level(x)
            skips.append(x)
        bottleneck = self.transform_bottleneck(skips.pop())
        y = bottleneck
        for i in reversed(range(len(skips))):
            y = self.fuse[i](torch.cat([skips[i], self.upsample[i](y)], 1))
        return dict(features=y, embedding=y, bottleneck=bottleneck)
