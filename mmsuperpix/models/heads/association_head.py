"""The 9-way association head shared by SCN-style superpixel networks."""
from typing import Dict, Optional

import torch
import torch.nn as nn

from mmsuperpix.registry import MODELS
from ..utils.conv_blocks import scn_init_weights


@MODELS.register_module()
class AssociationHead(nn.Module):
    """3x3 conv to the 9 neighbour scores, then a softmax over them.

    Args:
        in_channels (int): Channels of the pixel features. Defaults to 16.

    Shapes:
        the backbone's ``features`` ``(N, C, H, W)`` -> association
        ``(N, 9, H, W)`` (sums to 1 over dim 1, channels ordered TL, T, TR,
        L, C, R, BL, B, BR), on the backbone's own cells.
    """
    #: Its cells are the backbone's (see ``DifferentiableSLICHead``).
    any_cell_size = False

    def __init__(self, in_channels: int = 16) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, 9, 3, padding=1)
        scn_init_weights(self)

    def forward(self, feats: Dict[str, torch.Tensor],
                images: Optional[torch.Tensor] = None,
                cell_size: Optional[int] = None) -> torch.Tensor:
        """Association probabilities of the backbone outputs ``feats``
        (softmax in float32, also under mixed precision); ``images`` and
        ``cell_size`` are not needed (the head interface of
        ``SuperpixelSegmentor``)."""
        return self.conv(feats['features']).float().softmax(1)
