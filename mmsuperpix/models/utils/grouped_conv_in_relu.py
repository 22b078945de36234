"""ConvInReLU with independent weights per image (grouped convolution)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class GroupedConvInReLU(nn.Module):
    """Conv (no bias) + InstanceNorm + ReLU, the block of RIM (Suzuki, 2020)
    and Eliasof et al. (2022), for ``G`` images at once, each with its own
    weights.

    Image ``g``'s channels are the ``g``-th slice of one grouped convolution
    and one instance norm over ``G * C`` channels, so ``G`` images optimised
    together under a summed loss get exactly the gradients (and, with Adam,
    the updates) they would get alone. Every image starts from the same
    weights (:meth:`reset_parameters`), as if optimised alone with one seed.

    Args:
        in_channels (int): Input channels per image.
        out_channels (int): Output channels per image.
        num_images (int): ``G``, images with independent weights.
        kernel_size (int): 1 or 3. Defaults to 3.
        dilation (int): Dilation of a 3x3 kernel. Defaults to 1.
        padding_mode (str): ``'reflect'`` (RIM's encoder) or ``'zeros'``
            (DeepLabV3's atrous branches) padding of ``dilation`` pixels.
            Defaults to ``'reflect'``.
        norm (bool): Instance norm (with affine parameters) after the conv.
            Defaults to True.
        relu (bool): ReLU at the end. Defaults to True.
        bias (bool): Conv bias. Defaults to False.

    Shapes:
        ``(G, in_channels, H, W)`` -> ``(G, out_channels, H, W)``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 num_images: int = 1,
                 kernel_size: int = 3,
                 dilation: int = 1,
                 padding_mode: str = 'reflect',
                 norm: bool = True,
                 relu: bool = True,
                 bias: bool = False) -> None:
        super().__init__()
        if kernel_size not in (1, 3):
            raise ValueError(f'kernel_size must be 1 or 3, got {kernel_size}')
        if padding_mode not in ('reflect', 'zeros'):
            raise ValueError(f"padding_mode must be 'reflect' or 'zeros', "
                             f'got {padding_mode!r}')
        self.num_images, self.out_channels = num_images, out_channels
        self.padding_mode = 'constant' if padding_mode == 'zeros' else \
            padding_mode
        self.padding = dilation * (kernel_size // 2)
        self.conv = nn.Conv2d(num_images * in_channels,
                              num_images * out_channels, kernel_size,
                              dilation=dilation, groups=num_images,
                              bias=bias)
        self.norm = nn.InstanceNorm2d(
            num_images * out_channels, affine=True) if norm else None
        self.relu = relu

    @torch.no_grad()
    def reset_parameters(self,
                         generator: Optional[torch.Generator] = None) -> None:
        """Xavier-normal conv weights drawn once and given to every image,
        zero bias, unit norm scale."""
        weight = self.conv.weight
        one = torch.empty(weight.shape[0] // self.num_images,
                          *weight.shape[1:], dtype=weight.dtype)
        nn.init.xavier_normal_(one, generator=generator)
        weight.copy_(one.repeat(self.num_images, 1, 1, 1))
        if self.conv.bias is not None:
            self.conv.bias.zero_()
        if self.norm is not None:
            self.norm.reset_parameters()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        images, _, height, width = x.shape
        if images != self.num_images:
            raise ValueError(f'this block holds weights for '
                             f'{self.num_images} image(s), got {images}')
        x = x.reshape(1, -1, height, width)
        if self.padding:
            x = F.pad(x, (self.padding, ) * 4, mode=self.padding_mode)
        x = self.conv(x)
        if self.norm is not None:
            x = self.norm(x)
        if self.relu:
            x = F.relu(x, inplace=True)
        return x.view(images, self.out_channels, height, width)
