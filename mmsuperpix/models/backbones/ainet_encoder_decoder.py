"""AINet's superpixel network (Wang et al., ICCV 2021)."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn

from mmsuperpix.registry import MODELS
from ..utils.association_implantation import AssociationImplantation
from ..utils.conv_blocks import scn_conv
from ..utils.local_context_attention import LocalContextAttention
from .scn_encoder_decoder import SCNEncoderDecoder


@MODELS.register_module()
class AINetEncoderDecoder(SCNEncoderDecoder):
    """SCN's encoder-decoder plus AINet's Association Implantation.

    The superpixel embedding comes from the 1/16 bottleneck through two 3x3
    conv-BN-LeakyReLU layers (channels 256 -> 64 -> 16); the decoder's last
    16-channel map is the pixel embedding. :class:`AssociationImplantation`
    combines them, a further 3x3 conv-BN-LeakyReLU follows, and the
    association head predicts the 9-way softmax from the result.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        channels (Sequence[int]): Encoder-decoder channels, finest first.
        superpixel_channels (Sequence[int]): The bridge from the bottleneck
            to the superpixel embedding. Defaults to ``(64, 16)``; the last
            must equal ``channels[0]`` (the pixel embedding size).
        context_attention (bool): Add the public code's local attention to
            the bottleneck (not in the paper). Defaults to False.
        init_cfg (dict, optional): mmengine init config.

    Shapes:
        input ``(N, 3, H, W)``; output dict with ``features`` (after the
        implantation, ``(N, 16, H, W)``), ``embedding`` (the pixel
        embedding, ``(N, 16, H, W)``, used by the boundary-perceiving loss),
        ``superpixel_embedding`` ``(N, 16, H/16, W/16)`` and ``bottleneck``.
    """

    def __init__(self,
                 in_channels: int = 3,
                 channels: Sequence[int] = (16, 32, 64, 128, 256),
                 superpixel_channels: Sequence[int] = (64, 16),
                 context_attention: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(in_channels, channels, init_cfg)
        if superpixel_channels[-1] != channels[0]:
            raise ValueError(
                f'the superpixel embedding ({superpixel_channels[-1]} ch) '
                f'must match the pixel embedding ({channels[0]} ch)')
        bridge = [channels[-1], *superpixel_channels]
        self.bridge = nn.Sequential(*(scn_conv(bridge[i], bridge[i + 1])
                                      for i in range(len(bridge) - 1)))
        self.context = LocalContextAttention(
            channels[-1]) if context_attention else None
        self.implantation = AssociationImplantation(channels[0], self.stride)
        self.refine = scn_conv(channels[0], channels[0])

    def transform_bottleneck(self, x: torch.Tensor) -> torch.Tensor:
        """Add the optional local context attention."""
        return x if self.context is None else x + self.context(x)

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Encoder-decoder, superpixel embedding, implantation."""
        out = super().forward(x)
        superpixel = self.bridge(out['bottleneck'])
        implanted = self.implantation(out['embedding'], superpixel)
        out.update(features=self.refine(implanted),
                   superpixel_embedding=superpixel)
        return out
