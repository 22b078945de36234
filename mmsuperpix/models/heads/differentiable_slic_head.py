"""SSN's differentiable SLIC as an association head on a grid backbone
(Jampani et al., "Superpixel Sampling Networks", ECCV 2018)."""
import functools
import math
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.ops import (cell_blocks, cell_samples, from_cell_blocks,
                            grid_soft_kmeans, rgb_to_lab)
from mmsuperpix.registry import MODELS

#: ``(N, h, w)``: images, cell rows and cell columns.
Grid = Tuple[int, int, int]
#: Features ``(N * h * w, C, M)`` and weights ``(N * h * w, 1, M)`` of ``M``
#: samples per cell.
Samples = Tuple[torch.Tensor, torch.Tensor]


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
                       images: torch.Tensor, cell_size: int,
                       sample_stride: int = 1
                       ) -> Tuple[torch.Tensor, torch.Tensor, Grid,
                                  Optional[Samples]]:
        """``F`` of the class docs for RGB ``images (N, 3, H, W)`` in
        0..255, built straight in the cells' block layout
        (:func:`~mmsuperpix.ops.cell_blocks`) of the image padded to
        ``(H', W')``, multiples of ``cell_size``; with ``sample_stride``
        ``s > 1`` also the features of each cell's average-pooling bins
        (:func:`~mmsuperpix.ops.cell_samples`), pooled before the
        projection (it is linear) and weighted by validity, so padding
        takes no part in them. Every channel is centred (positions measured
        from the image centre): only differences matter, and small
        magnitudes keep float32's ``2 f.c - ||c||^2`` accurate on large
        images. The projection is applied to the centred backbone output,
        so its bias, constant over pixels, drops out.

        Returns:
            tuple: ``pixels (N * h * w, E + 5, S * S)`` float32, their 0/1
            ``weights (N * h * w, 1, S * S)`` (0 on the padding), the grid
            ``(N, h, w)`` and the samples (None for stride 1): what
            :func:`~mmsuperpix.ops.grid_soft_kmeans` takes.
        """
        inputs = feats[self.in_key]
        num, _, height, width = images.shape
        if inputs.shape[-2:] != (height, width):
            raise ValueError(
                f'the backbone output {self.in_key!r} is '
                f'{tuple(inputs.shape[-2:])} but the images are '
                f'{(height, width)}')
        h, w = math.ceil(height / cell_size), math.ceil(width / cell_size)
        pad = (0, w * cell_size - width, 0, h * cell_size - height)
        inputs = F.pad(inputs, pad)  # zeros: the sum below is the image's
        # P (x - mean x) = P x + shift: the mean folded into the offset
        mean = inputs.sum((2, 3)) / (height * width)
        shift = -mean.to(self.projection.weight.dtype) @ \
            self.projection.weight.flatten(1).t()  # (N, E)
        lab = self.color_scale * rgb_to_lab(images)
        lab = F.pad(lab - lab.mean((2, 3), keepdim=True), pad)
        arange = functools.partial(torch.arange, device=images.device,
                                   dtype=torch.float32)
        scale = self.pos_scale / cell_size
        columns = scale * (arange(w * cell_size) - width / 2)
        rows = scale * (arange(h * cell_size) - height / 2)
        positions = torch.stack(torch.broadcast_tensors(
            columns[None, :], rows[:, None]))[None]  # (1, 2, H', W')
        valid = F.pad(images.new_ones(num, 1, height, width), pad)
        weights = cell_blocks(valid, cell_size)
        offset = shift.repeat_interleave(h * w, 0)[:, :, None]  # (B, E, 1)
        pixels = self._features(
            *(cell_blocks(x, cell_size) for x in
              (inputs, lab, positions.expand(num, -1, -1, -1))), offset)
        samples = None
        if sample_stride > 1:
            # validity-weighted bin sums (inputs and lab are 0 on the
            # padding), divided by the bins' weights
            sample_weights = cell_samples(valid, cell_size, sample_stride)
            sums = self._features(
                *(cell_samples(x, cell_size, sample_stride)
                  for x in (inputs, lab, positions * valid)),
                offset * sample_weights)
            samples = (sums / sample_weights.clamp_min(1e-12),
                       sample_weights)
        return pixels, weights, (num, h, w), samples

    def _features(self, inputs: torch.Tensor, lab: torch.Tensor,
                  positions: torch.Tensor,
                  offset: torch.Tensor) -> torch.Tensor:
        """``[P x + offset, Lab, XY]`` ``(B, E + 5, M)`` float32 of blocks
        ``(B, C | 3 | 2, M)``."""
        weight = self.projection.weight.flatten(1)  # (E, C)
        embedding = torch.baddbmm(
            offset, weight.expand(inputs.shape[0], -1, -1), inputs)
        return torch.cat([embedding.float(), lab, positions], 1)

    def forward(self, feats: Dict[str, torch.Tensor], images: torch.Tensor,
                cell_size: int) -> torch.Tensor:
        """Association ``(N, 9, H', W')`` (``H', W'``: ``H, W`` rounded up to
        multiples of ``cell_size``) of RGB ``images (N, 3, H, W)``."""
        iters, stride = (self.num_iters, 1) if self.training else (
            self.test_num_iters, self.test_sample_stride)
        pixels, weights, grid, samples = self.pixel_features(
            feats, images, cell_size, stride)
        # float32 even under autocast: the logits 2 f.c - ||c||^2 differ by
        # a few units at magnitudes of hundreds, beyond bfloat16's 8 bits
        with torch.autocast(pixels.device.type, enabled=False):
            assoc = grid_soft_kmeans(pixels, grid, iters, weights,
                                     samples=samples)
        return from_cell_blocks(assoc, *grid, cell_size)
