"""SSN's soft k-means on the 9-neighbour grid (Jampani et al., ECCV 2018),
every iteration in the cells' block layout."""
import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F

from .grid_association import (NEIGHBOURS, add_from_neighbours, cell_blocks,
                               check_association, from_cell_blocks,
                               neighbour_cells)


def grid_soft_kmeans(feat: torch.Tensor,
                     cell_size: int,
                     num_iters: int,
                     valid: Optional[torch.Tensor] = None,
                     eps: float = 1e-8,
                     sample_stride: int = 1) -> torch.Tensor:
    """Soft k-means of pixel features, each pixel restricted to the 9 grid
    cells around it.

    The centres start as each ``S x S`` cell's mean feature. Each iteration
    computes ``Q_k(p) = softmax_k(-||f(p) - c_k||^2)`` over the pixel's 9
    neighbouring cells (none outside the grid) and, but for the last, moves
    every centre to the ``Q``-weighted mean of the pixels that see it. The
    pixels stay in one ``(cells, C, S^2)`` block layout throughout: the
    logits ``2 f.c - ||c||^2`` (``-||f - c||^2`` up to the pixel's constant
    ``||f||^2``) are one batched ``(9, C) @ (C, S^2)`` product per cell,
    the centres' weighted sums one ``(C + 1, S^2) @ (S^2, 9)`` product.

    With ``sample_stride`` ``s > 1`` (an inference shortcut, not SSN's),
    the centres are estimated on ``m x m`` samples per cell, ``m = ceil(S /
    s)``: the valid-weighted means of adaptive average-pooling bins, which
    never cross a cell border. Only the last association sees every pixel;
    the iterations before it cost about ``1 / s^2`` as much.

    Args:
        feat (Tensor): Pixel features ``(N, C, H, W)``, ``H`` and ``W``
            multiples of ``S``. Centre them first for float32 accuracy on
            large images (only differences matter).
        cell_size (int): Cell side ``S``.
        num_iters (int): Association computations (>= 1).
        valid (Tensor, optional): ``(N, 1, H, W)`` 0/1 weights: pixels with
            0 (padding) take no part in the centres.
        eps (float): Added to the centres' weight sums.
        sample_stride (int): ``s`` above; 1 (default) is SSN's algorithm.

    Returns:
        Tensor: The last association ``(N, 9, H, W)``.
    """
    num, channels, height, width = feat.shape
    h, w = check_association(feat.new_empty(num, 9, height, width),
                             cell_size)
    if num_iters < 1:
        raise ValueError(f'num_iters must be >= 1, got {num_iters}')
    if sample_stride < 1:
        raise ValueError(f'sample_stride must be >= 1, got {sample_stride}')
    if valid is None:
        valid = feat.new_ones(num, 1, height, width)
    samples = math.ceil(cell_size / sample_stride)
    sampled, sample_weights = _cell_samples(feat, valid.to(feat.dtype),
                                            (h * samples, w * samples))
    pixels = cell_blocks(sampled, samples)  # (B, C, m^2)
    weights = cell_blocks(sample_weights, samples)  # (B, 1, m^2)
    # [w f; w]: one product gives the centres' weighted sums and weights
    weighted = torch.cat([pixels * weights, weights], 1)  # (B, C + 1, m^2)
    outside = _outside_neighbours(h, w, feat.device).repeat(num, 1, 1)
    acc = weighted.sum(2)
    centres = (acc[:, :channels] / (acc[:, channels:] + eps)).view(
        num, h, w, channels).permute(0, 3, 1, 2)
    for _ in range(num_iters - 1):
        assoc = _associate(pixels, centres, outside)
        sent = torch.bmm(weighted, assoc.transpose(1, 2))  # (B, C + 1, 9)
        acc = add_from_neighbours(
            sent.view(num, h, w, channels + 1, 9).permute(0, 3, 4, 1, 2))
        centres = acc[:, :channels] / (acc[:, channels:] + eps)
    if samples != cell_size:
        pixels = cell_blocks(feat, cell_size)
    return from_cell_blocks(_associate(pixels, centres, outside), num, h, w,
                            cell_size)


def _cell_samples(feat: torch.Tensor, valid: torch.Tensor,
                  size: Tuple[int, int]) -> Tuple[torch.Tensor, torch.Tensor]:
    """Valid-weighted mean features and mean validity of adaptive average
    pooling bins ``size``; the features themselves at full size."""
    if tuple(size) == tuple(feat.shape[-2:]):
        return feat, valid
    mass = F.adaptive_avg_pool2d(valid, size)
    return F.adaptive_avg_pool2d(feat * valid, size) / mass.clamp_min(
        1e-12), mass


def _associate(pixels: torch.Tensor, centres: torch.Tensor,
               outside: torch.Tensor) -> torch.Tensor:
    """``softmax_k(-||f - c_k||^2)`` over the 9 neighbouring cells:
    pixels ``(B, C, P)``, centres ``(N, C, h, w)`` -> ``(B, 9, P)``."""
    cells = neighbour_cells(centres)  # (B, C, 9)
    # softmax_k(-||f - c_k||^2) = softmax_k(2 f.c_k - ||c_k||^2): the
    # pixel's ||f||^2 is the same for all k. (A transposed view of the
    # small left operand would make bmm copy it once per cell.)
    bias = (cells * cells).sum(1)[:, :, None].masked_fill(
        outside, float('inf'))  # (B, 9, 1)
    return torch.bmm((2 * cells).transpose(1, 2).contiguous(),
                     pixels).sub_(bias).softmax(1)


def _outside_neighbours(h: int, w: int, device) -> torch.Tensor:
    """``(h * w, 9, 1)`` bool: which of each cell's 9 neighbours lie
    outside an ``h x w`` grid."""
    rows = torch.arange(h, device=device)[:, None, None]
    cols = torch.arange(w, device=device)[None, :, None]
    offsets = torch.tensor(NEIGHBOURS, device=device)
    r, c = rows + offsets[:, 0], cols + offsets[:, 1]
    return ((r < 0) | (r >= h) | (c < 0) | (c >= w)).view(h * w, 9, 1)
