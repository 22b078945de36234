"""The per-image CNN of unsupervised neural superpixels: RIM (Suzuki, 2020)
and its ASPP / Laplacian variant (Eliasof, Ben Zikri, Treister, ICIP 2022)."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn

from mmsuperpix.ops import laplacian_3x3
from mmsuperpix.registry import MODELS
from ..utils import GroupedConvInReLU


@MODELS.register_module()
class UnsupervisedSuperpixelNet(nn.Module):
    """A CNN optimised on each image alone; outputs ``N`` superpixel logits
    and a 3-channel reconstruction per pixel.

    Eliasof et al. (section 2.5): ``num_convs`` ConvInReLU layers (3x3 conv,
    instance norm, ReLU; ``base_channels`` doubling each layer, so 32, 64,
    128, 256), their output concatenated with its 3x3 Laplacian response
    (``laplacian_features``), an ASPP of one atrous ConvInReLU per rate in
    ``aspp_dilations`` (1, 2, 4, 8) fused by a ConvInReLU, and a projection
    of one ConvInReLU and a 1x1 conv to ``N + 3`` channels. RIM (Suzuki,
    2020) is ``laplacian_features=False, aspp_dilations=None``: the
    ConvInReLU layers and the 1x1 conv (with bias). Both official codes
    instance-normalise the ``N`` logits with affine parameters
    (``logit_norm``); the papers do not mention it.

    ``num_images`` images get independent weights (grouped convolutions,
    :class:`~mmsuperpix.models.utils.GroupedConvInReLU`), so a batch is
    optimised at once as if each image were alone; all start from the same
    draw (:meth:`init_weights`).

    Args:
        num_superpixels (int): ``N``, the superpixel channels (an upper
            bound on the count).
        in_channels (int): Input channels, RGB + XY. Defaults to 5.
        base_channels (int): Width of the first layer. Defaults to 32.
        num_convs (int): ConvInReLU layers of the feature extractor.
            Defaults to 4 (the paper; RIM's code also has 4).
        laplacian_features (bool): Concatenate the features' Laplacian.
            Defaults to True.
        aspp_dilations (Sequence[int], optional): Atrous rates of the ASPP
            body; None = no ASPP and no projection ConvInReLU (RIM).
            Defaults to (1, 2, 4, 8).
        reconstruction_channels (int): Defaults to 3.
        logit_norm (bool): Affine instance norm on the logits. Defaults to
            True.
        num_images (int): Images with independent weights. Defaults to 1.

    Shapes:
        ``(G, in_channels, H, W)`` -> logits ``(G, N, H, W)`` and
        reconstruction ``(G, 3, H, W)``.
    """

    def __init__(self,
                 num_superpixels: int,
                 in_channels: int = 5,
                 base_channels: int = 32,
                 num_convs: int = 4,
                 laplacian_features: bool = True,
                 aspp_dilations: Optional[Sequence[int]] = (1, 2, 4, 8),
                 reconstruction_channels: int = 3,
                 logit_norm: bool = True,
                 num_images: int = 1) -> None:
        super().__init__()
        for name, value in (('num_superpixels', num_superpixels),
                            ('num_convs', num_convs),
                            ('num_images', num_images)):
            if isinstance(value, bool) or not isinstance(value, int) or \
                    value < 1:
                raise ValueError(f'{name} must be a positive int, got '
                                 f'{value!r}')
        self.num_superpixels = num_superpixels
        self.laplacian_features = laplacian_features
        widths = [in_channels] + [base_channels << i for i in range(num_convs)]
        self.features = nn.Sequential(*(
            GroupedConvInReLU(c_in, c_out, num_images)
            for c_in, c_out in zip(widths[:-1], widths[1:])))
        width = widths[-1]
        body_in = 2 * width if laplacian_features else width
        head_bias = not aspp_dilations
        if aspp_dilations:
            self.aspp = nn.ModuleList(
                GroupedConvInReLU(body_in, width, num_images, dilation=d,
                                  padding_mode='zeros')
                for d in aspp_dilations)
            self.body = nn.Sequential(
                GroupedConvInReLU(len(aspp_dilations) * width, width,
                                  num_images),
                GroupedConvInReLU(width, width, num_images))  # projection
        else:
            self.aspp, self.body = None, nn.Identity()
            width = body_in
        self.head = GroupedConvInReLU(
            width, num_superpixels + reconstruction_channels, num_images,
            kernel_size=1, norm=False, relu=False, bias=head_bias)
        self.logit_norm = nn.InstanceNorm2d(
            num_images * num_superpixels, affine=True) if logit_norm else None

    def init_weights(self, generator: Optional[torch.Generator] = None
                     ) -> None:
        """Xavier-normal convs (as RIM and Eliasof et al.), the same draw
        for every image; ``generator`` makes it reproducible."""
        for module in self.modules():
            if isinstance(module, GroupedConvInReLU):
                module.reset_parameters(generator)
        if self.logit_norm is not None:
            self.logit_norm.reset_parameters()

    def forward(self, inputs: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        x = self.features(inputs)
        if self.laplacian_features:
            x = torch.cat([x, laplacian_3x3(x)], dim=1)
        if self.aspp is not None:
            x = torch.cat([branch(x) for branch in self.aspp], dim=1)
        out = self.head(self.body(x))
        logits = out[:, :self.num_superpixels]
        reconstruction = out[:, self.num_superpixels:]
        if self.logit_norm is not None:
            images, _, height, width = logits.shape
            logits = self.logit_norm(logits.reshape(1, -1, height, width))
            logits = logits.view(images, -1, height, width)
        return logits, reconstruction
