"""SSN's differentiable SLIC as an association head on a grid backbone
(Jampani et al., "Superpixel Sampling Networks", ECCV 2018)."""
import functools
import math
from typing import Dict, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.ops import (cell_blocks, from_cell_blocks, grid_soft_kmeans,
                            rgb_to_lab)
from mmsuperpix.registry import MODELS

#: ``(N, h, w)``: images, cell rows and cell columns.
Grid = Tuple[int, int, int]


@MODELS.register_module()
class DifferentiableSLICHead(nn.Module):
    """Soft k-means over learned + Lab + position features, each pixel
    restricted to its 9 neighbouring grid cells (SSN).

    Pixel features ``F (N, E + 5, H, W)`` are ``[P e, color_scale * Lab,
    pos_scale * (x, y) / S]``: ``e`` the backbone's ``in_key`` output,
    ``P`` a 1x1 convolution to ``embed_channels``, ``S`` the cell size.
    ``P`` starts tiny (weights ``N(0, init_std^2)``, bias 0), so an
    untrained head is SLIC-like clustering on colour and position. Not
    exactly zero: where the learned features are equal at every pixel, the
    loss's gradient with respect to them is zero (every distance depends
    on feature differences only), so a zero ``P`` would never move. The centres start as each ``S x S`` cell's mean
    feature; each of ``num_iters`` iterations computes the association
    ``Q_k(p) = softmax_k(-||F(p) - c_k||^2)`` over the 9 neighbouring cells
    and, but for the last, moves the centres to the ``Q``-weighted feature
    means (:func:`~mmsuperpix.ops.grid_soft_kmeans`). The last ``Q`` is the
    output, trained end to end (through every iteration) with the SCN
    reconstruction loss.

    Any cell size works at inference, on an image of any size: features are
    padded to multiples of ``S`` at the bottom/right, and padded pixels take
    no part in the centres; the association covers the padded size.

    Args:
        in_channels (int): Channels of the backbone output. Defaults to 16.
        embed_channels (int): Learned feature channels (SSN: 15, with
            XYLab 20). Defaults to 15.
        in_key (str): Backbone output to read. Defaults to ``'features'``.
        num_iters (int): Soft k-means iterations in training (SSN: 5).
        test_num_iters (int): In eval mode (SSN: 10).
        color_scale (float): Lab scale. Defaults to 0.26 (SSN).
        pos_scale (float): Position scale per cell. Defaults to 2.5 (SSN).
            No weight depends on it: at test time it sets compactness
            (SSN's knob; smaller: less compact superpixels).
        init_std (float): Std of ``P``'s initial weights. Defaults to 1e-3.
        test_sample_stride (int): In eval mode, estimate the centres on
            about ``(S / s)^2`` pooled samples per cell, all pixels in the
            last association only (``sample_stride`` of
            :func:`~mmsuperpix.ops.grid_soft_kmeans`; an inference shortcut,
            not SSN's). Defaults to 1 (SSN: every pixel, every iteration).
    """
    #: Clusters at any cell size on images of any size (no resize).
    any_cell_size = True

    def __init__(self,
                 in_channels: int = 16,
                 embed_channels: int = 15,
                 in_key: str = 'features',
                 num_iters: int = 5,
                 test_num_iters: int = 10,
                 color_scale: float = 0.26,
                 pos_scale: float = 2.5,
                 init_std: float = 1e-3,
                 test_sample_stride: int = 1) -> None:
        super().__init__()
        for name, value in (('num_iters', num_iters),
                            ('test_num_iters', test_num_iters),
                            ('test_sample_stride', test_sample_stride)):
            if value < 1:
                raise ValueError(f'{name} must be >= 1, got {value}')
        self.projection = nn.Conv2d(in_channels, embed_channels, 1)
        nn.init.normal_(self.projection.weight, std=init_std)
        nn.init.zeros_(self.projection.bias)
        self.in_key = in_key
        self.num_iters, self.test_num_iters = num_iters, test_num_iters
        self.color_scale, self.pos_scale = color_scale, pos_scale
        self.test_sample_stride = test_sample_stride

    def pixel_features(self, feats: Dict[str, torch.Tensor],
                       images: torch.Tensor, cell_size: int
                       ) -> Tuple[torch.Tensor, torch.Tensor, Grid]:
        """``F`` of the class docs for RGB ``images (N, 3, H, W)`` in
        0..255, built straight in the cells' block layout
        (:func:`~mmsuperpix.ops.cell_blocks`) of the image padded to
        ``(H', W')``, multiples of ``cell_size``: features ``(N * h * w,
        E + 5, S * S)`` float32, validity ``(N * h * w, 1, S * S)`` (0 on
        the padding) and the grid ``(N, h, w)``. Every channel is centred
        (positions measured from the image centre): only differences
        matter, and small magnitudes keep float32's ``2 f.c - ||c||^2``
        accurate on large images. The projection is applied to the
        centred backbone output, so its bias, constant over pixels, drops
        out."""
        inputs = feats[self.in_key]
        num, _, height, width = images.shape
        if inputs.shape[-2:] != (height, width):
            raise ValueError(
                f'the backbone output {self.in_key!r} is '
                f'{tuple(inputs.shape[-2:])} but the images are '
                f'{(height, width)}')
        h, w = math.ceil(height / cell_size), math.ceil(width / cell_size)
        pad = (0, w * cell_size - width, 0, h * cell_size - height)

        # centred: P (x - mean x), its mean folded into one batched product
        weight = self.projection.weight.flatten(1)  # (E, C)
        shift = -inputs.mean((2, 3)).to(weight.dtype) @ weight.t()  # (N, E)
        embedding = torch.baddbmm(
            shift.repeat_interleave(h * w, 0)[:, :, None],
            weight.expand(num * h * w, -1, -1),
            cell_blocks(F.pad(inputs, pad), cell_size)).float()
        lab = self.color_scale * rgb_to_lab(images)
        lab = cell_blocks(F.pad(lab - lab.mean((2, 3), keepdim=True), pad),
                          cell_size)
        arange = functools.partial(torch.arange, device=images.device,
                                   dtype=torch.float32)
        scale = self.pos_scale / cell_size
        columns = scale * (arange(w * cell_size) - width / 2)
        rows = scale * (arange(h * cell_size) - height / 2)
        positions = torch.stack(torch.broadcast_tensors(
            columns[None, :], rows[:, None]))[None]  # (1, 2, H', W')
        positions = cell_blocks(positions, cell_size).repeat(num, 1, 1)
        valid = cell_blocks(F.pad(images.new_ones(num, 1, height, width),
                                  pad), cell_size)
        return (torch.cat([embedding, lab, positions], 1), valid,
                (num, h, w))

    def forward(self, feats: Dict[str, torch.Tensor], images: torch.Tensor,
                cell_size: int) -> torch.Tensor:
        """Association ``(N, 9, H', W')`` (``H', W'``: ``H, W`` rounded up to
        multiples of ``cell_size``) of RGB ``images (N, 3, H, W)``."""
        features, valid, grid = self.pixel_features(feats, images, cell_size)
        iters, stride = (self.num_iters, 1) if self.training else (
            self.test_num_iters, self.test_sample_stride)
        # float32 even under autocast: the logits 2 f.c - ||c||^2 differ by
        # a few units at magnitudes of hundreds, beyond bfloat16's 8 bits
        with torch.autocast(features.device.type, enabled=False):
            assoc = grid_soft_kmeans(features, grid, iters, valid,
                                     sample_stride=stride)
        return from_cell_blocks(assoc, *grid, cell_size)
