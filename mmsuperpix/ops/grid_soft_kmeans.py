"""SSN's soft k-means on the 9-neighbour grid (Jampani et al., ECCV 2018),
in the cells' block layout throughout."""
import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F

from .grid_association import (NEIGHBOURS, add_from_neighbours, cell_blocks,
                               neighbour_cells)


def grid_soft_kmeans(
        pixels: torch.Tensor,
        grid: Tuple[int, int, int],
        num_iters: int,
        weights: Optional[torch.Tensor] = None,
        eps: float = 1e-8,
        samples: Optional[Tuple[torch.Tensor, torch.Tensor]] = None
) -> torch.Tensor:
    """Soft k-means of pixel features, each pixel restricted to the 9 grid
    cells around it, in the cells' block layout (:func:`cell_blocks`).

    The centres start as each ``S x S`` cell's mean feature. Each iteration
    computes ``Q_k(p) = softmax_k(-||f(p) - c_k||^2)`` over the pixel's 9
    neighbouring cells (none outside the grid) and, but for the last, moves
    every centre to the ``Q``-weighted mean of the pixels that see it. The
    logits ``2 f.c - ||c||^2`` (``-||f - c||^2`` up to the pixel's constant
    ``||f||^2``) are one batched ``(9, C) @ (C, S^2)`` product per cell,
    the centres' weighted sums one ``(C + 1, S^2) @ (S^2, 9)`` product.

    With ``samples`` (an inference shortcut, not SSN's), ``M`` weighted
    samples per cell stand in for its pixels in the centres (the initial
    means and the ``num_iters - 1`` updates), e.g. the cell's average-pooling
    bins (:func:`cell_samples`): only the last association sees every
    pixel, and the iterations before it cost about ``M / S^2`` as much.

    Args:
        pixels (Tensor): Pixel features ``(N * h * w, C, S * S)``, cells
            in row-major order. Centre them first for float32 accuracy on
            large images (only differences matter).
        grid (tuple[int, int, int]): ``(N, h, w)``: images and cell rows
            and columns.
        num_iters (int): Association computations (>= 1).
        weights (Tensor, optional): ``(N * h * w, 1, S * S)`` 0/1 weights:
            pixels with 0 (padding) take no part in the centres.
        eps (float): Added to the centres' weight sums.
        samples (tuple[Tensor, Tensor], optional): Features ``(N * h * w,
            C, M)`` and weights ``(N * h * w, 1, M)`` of each cell's
            samples; None (default) is SSN's algorithm (the pixels with
            ``weights``).

    Returns:
        Tensor: The last association ``(N * h * w, 9, S * S)``.
    """
    num, h, w = grid
    cells, channels, area = pixels.shape
    cell_size = math.isqrt(area)
    if cells != num * h * w or cell_size**2 != area:
        raise ValueError(
            f'pixels must have shape (N * h * w, C, S * S) for the grid '
            f'(N, h, w) = {tuple(grid)}, got {tuple(pixels.shape)}')
    if num_iters < 1:
        raise ValueError(f'num_iters must be >= 1, got {num_iters}')
    if samples is None:
        samples = (pixels, weights if weights is not None else
                   pixels.new_ones(cells, 1, area))
    sampled, weights = samples
    if sampled.shape[:2] != pixels.shape[:2] or \
            weights.shape != (cells, 1, sampled.shape[2]):
        raise ValueError(
            f'samples must be features (N * h * w, C, M) = ({cells}, '
            f'{channels}, M) and weights (N * h * w, 1, M), got '
            f'{tuple(sampled.shape)} and {tuple(weights.shape)}')
    # [w f; w]: one product gives the centres' weighted sums and weights
    weighted = torch.cat([sampled * weights, weights], 1)  # (B, C + 1, M)
    outside = _outside_neighbours(h, w, pixels.device).repeat(num, 1, 1)
    acc = weighted.sum(2)
    centres = (acc[:, :channels] / (acc[:, channels:] + eps)).view(
        num, h, w, channels).permute(0, 3, 1, 2)
    for _ in range(num_iters - 1):
        assoc = _associate(sampled, centres, outside)
        sent = torch.bmm(weighted, assoc.transpose(1, 2))  # (B, C + 1, 9)
        acc = add_from_neighbours(
            sent.view(num, h, w, channels + 1, 9).permute(0, 3, 4, 1, 2))
        centres = acc[:, :channels] / (acc[:, channels:] + eps)
    return _associate(pixels, centres, outside)


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


def cell_samples(maps: torch.Tensor, cell_size: int,
                 sample_stride: int) -> torch.Tensor:
    """Average-pooled samples of every cell in the block layout:
    ``(N, C, h * S, w * S)`` -> ``(N * h * w, C, m * m)``, ``m = ceil(S /
    s)``: adaptive pooling of the whole map to ``(h * m, w * m)`` bins, whose
    edges (``floor(i * S / m)`` to ``ceil((i + 1) * S / m)`` from each
    cell's corner) never cross a cell border. For ``samples`` of
    :func:`grid_soft_kmeans`: pool the weighted features and the weights,
    then divide."""
    if sample_stride < 1:
        raise ValueError(f'sample_stride must be >= 1, got {sample_stride}')
    num, channels, height, width = maps.shape
    m = math.ceil(cell_size / sample_stride)
    if m == cell_size:
        return cell_blocks(maps, cell_size)
    pooled = F.adaptive_avg_pool2d(
        maps, (height // cell_size * m, width // cell_size * m))
    return cell_blocks(pooled, m)
