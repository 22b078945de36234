"""The 3x3 Laplacian of image and feature maps."""
import torch
import torch.nn.functional as F


def laplacian_3x3(maps: torch.Tensor) -> torch.Tensor:
    """Response of every channel to the normalised 8-neighbour Laplacian.

    The kernel is ``[[1, 1, 1], [1, -8, 1], [1, 1, 1]] / 16`` with
    reflected borders, the convention of kornia's
    ``laplacian(x, kernel_size=3)`` that Eliasof et al.'s experiments used
    (a flat region gives 0, one bright pixel ``-8/16`` times its step).

    Args:
        maps (Tensor): ``(N, C, H, W)`` float maps, ``H, W >= 2``.

    Returns:
        Tensor: ``(N, C, H, W)`` of the same dtype.
    """
    if maps.dim() != 4:
        raise ValueError(f'expected (N, C, H, W) maps, got shape '
                         f'{tuple(maps.shape)}')
    channels = maps.shape[1]
    kernel = maps.new_full((3, 3), 1.0 / 16)
    kernel[1, 1] = -8.0 / 16
    padded = F.pad(maps, (1, 1, 1, 1), mode='reflect')
    return F.conv2d(padded, kernel.expand(channels, 1, 3, 3),
                    groups=channels)
