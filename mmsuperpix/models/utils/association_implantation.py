"""The Association Implantation module of AINet (Wang et al., ICCV 2021)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class AssociationImplantation(nn.Module):
    """Implant each pixel's 9 neighbouring superpixel embeddings around it
    and convolve, so the association is predicted from pixel-superpixel
    context.

    For pixel ``p`` in cell ``c`` the paper builds the 3x3 window
    ``[[m_tl, m_t, m_tr], [m_l, m_c + e_p, m_r], [m_bl, m_b, m_br]]`` of
    superpixel embeddings ``m`` (zero outside the grid) with the pixel
    embedding ``e_p`` added at the centre, and applies one 3x3 convolution
    ``W`` to it (stride 3 over the expanded ``3H x 3W`` map, no padding).
    Because every pixel of a cell shares the same 9 neighbours, this equals
    exactly

    ``out(p) = (W * m)[c] + W_centre e_p``,

    a 3x3 convolution of the cell-level map (zero padding 1) broadcast to the
    cell's pixels, plus the kernel's centre tap applied to the pixel
    embedding. That is what is computed here: no expanded map, no loops. (The
    public code's stride-3/padding-1 window is shifted by one slot; this
    module follows the paper.) BN and LeakyReLU(0.1) follow, as in AINet.

    Args:
        channels (int): Embedding channels of pixels and superpixels.
            Defaults to 16.
        cell_size (int): Pixels per cell side. Defaults to 16.

    Shapes:
        ``pixel_embedding (N, C, H, W)``, ``superpixel_embedding
        (N, C, H/S, W/S)`` -> ``(N, C, H, W)``.
    """

    def __init__(self, channels: int = 16, cell_size: int = 16) -> None:
        super().__init__()
        self.cell_size = cell_size
        self.weight = nn.Parameter(torch.empty(channels, channels, 3, 3))
        nn.init.kaiming_normal_(self.weight, 0.1)
        self.norm = nn.BatchNorm2d(channels)
        self.act = nn.LeakyReLU(0.1, inplace=True)

    def forward(self, pixel_embedding: torch.Tensor,
                superpixel_embedding: torch.Tensor) -> torch.Tensor:
        """Implant and convolve (see the class docstring)."""
        s = self.cell_size
        expected = (pixel_embedding.shape[-2] // s,
                    pixel_embedding.shape[-1] // s)
        if superpixel_embedding.shape[-2:] != expected or \
                pixel_embedding.shape[-2] % s or pixel_embedding.shape[-1] % s:
            raise ValueError(
                f'pixel embedding {tuple(pixel_embedding.shape)} and '
                f'superpixel embedding {tuple(superpixel_embedding.shape)} '
                f'do not form a grid of {s}x{s} cells')
        cell_part = F.conv2d(superpixel_embedding, self.weight, padding=1)
        centre = self.weight[:, :, 1:2, 1:2].contiguous()
        out = F.interpolate(cell_part, scale_factor=s, mode='nearest') + \
            F.conv2d(pixel_embedding, centre)
        return self.act(self.norm(out))
