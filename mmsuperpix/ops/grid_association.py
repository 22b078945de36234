"""The 9-neighbour grid association of SCN-style superpixels (Yang et al.
CVPR 2020), shared by SCN, AINet, CDS, the SCN loss and soft pooling.

The image is split into ``S x S`` cells (``S = cell_size``, 16 in the
papers). Every pixel holds a distribution ``Q (N, 9, H, W)`` over its own cell
and the 8 neighbouring cells, in the order :data:`NEIGHBOURS` (TL, T, TR, L,
C, R, BL, B, BR). Neighbours outside the grid are invalid: pooling drops what
pixels send there and unpooling reads zeros from there (SCN's zero padding);
hard labels never pick them.

All functions loop over the 9 neighbour slots at most, never over pixels or
cells.
"""
from functools import lru_cache
from typing import Tuple

import torch
import torch.nn.functional as F

from .superpixel_pool import compact_superpixel_ids

#: (dy, dx) cell offsets of the 9 association channels: TL, T, TR, L, C, R,
#: BL, B, BR.
NEIGHBOURS: Tuple[Tuple[int, int], ...] = tuple(
    (dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1))


def check_association(assoc: torch.Tensor, cell_size: int) -> Tuple[int, int]:
    """Validate ``assoc (N, 9, H, W)`` and return the grid size ``(h, w)``."""
    if assoc.dim() != 4 or assoc.shape[1] != 9:
        raise ValueError(
            'the association map must have shape (N, 9, H, W), got '
            f'{tuple(assoc.shape)}')
    height, width = assoc.shape[-2:]
    if height % cell_size or width % cell_size:
        raise ValueError(
            f'the association map size {height}x{width} is not a multiple of '
            f'the cell size {cell_size}; resize or pad the input to '
            f'multiples of {cell_size} first')
    return height // cell_size, width // cell_size


def _check_pixel_map(name: str, tensor: torch.Tensor,
                     assoc: torch.Tensor) -> None:
    if tensor.shape[0] != assoc.shape[0] or tensor.shape[-2:] != \
            assoc.shape[-2:]:
        raise ValueError(
            f'{name} of shape {tuple(tensor.shape)} does not match the '
            f'association map (N, 9, H, W) = {tuple(assoc.shape)}')


def cell_blocks(x: torch.Tensor, cell_size: int) -> torch.Tensor:
    """``(N, C, H, W)`` -> ``(N * h * w, C, S * S)``: the pixels of each
    cell as one matrix (row-major cells, row-major pixels inside)."""
    num, channels, height, width = x.shape
    h, w = height // cell_size, width // cell_size
    return x.reshape(num, channels, h, cell_size, w, cell_size).permute(
        0, 2, 4, 1, 3, 5).reshape(num * h * w, channels, cell_size**2)


def from_cell_blocks(x: torch.Tensor, num: int, h: int, w: int,
                     cell_size: int) -> torch.Tensor:
    """Inverse of :func:`cell_blocks`: ``(N * h * w, C, S * S)`` ->
    ``(N, C, h * S, w * S)``."""
    channels = x.shape[1]
    return x.view(num, h, w, channels, cell_size, cell_size).permute(
        0, 3, 1, 4, 2, 5).reshape(num, channels, h * cell_size,
                                  w * cell_size)


def neighbour_cells(cell_feat: torch.Tensor) -> torch.Tensor:
    """``(N, C, h, w)`` -> ``(N * h * w, C, 9)``: every cell's 9
    neighbours in :data:`NEIGHBOURS` order, zeros outside the grid."""
    num, channels, h, w = cell_feat.shape
    padded = F.pad(cell_feat, (1, 1, 1, 1))
    neighbours = torch.stack(
        [padded[:, :, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w]
         for dy, dx in NEIGHBOURS], 2)  # (N, C, 9, h, w)
    return neighbours.permute(0, 3, 4, 1, 2).reshape(-1, channels, 9)


def add_from_neighbours(sent: torch.Tensor) -> torch.Tensor:
    """What every cell receives: ``sent (N, C, 9, h, w)`` holds what each
    cell sends to its 9 neighbours; returns their sum per receiving cell
    ``(N, C, h, w)``, dropping what goes outside the grid."""
    num, channels, _, h, w = sent.shape
    acc = sent.new_zeros(num, channels, h + 2, w + 2)
    for k, (dy, dx) in enumerate(NEIGHBOURS):
        acc[:, :, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w] += sent[:, :, k]
    return acc[:, :, 1:h + 1, 1:w + 1]


def pool_by_association(feat: torch.Tensor,
                        assoc: torch.Tensor,
                        cell_size: int,
                        eps: float = 1e-8) -> torch.Tensor:
    """Association-weighted mean of pixel features per cell.

    ``cell[c] = sum_{p,k: c_k(p)=c} q_k(p) f(p) / sum_{p,k: c_k(p)=c} q_k(p)``
    where ``c_k(p)`` is the k-th neighbour cell of pixel ``p``.

    Every cell's pixels send ``f^T Q`` (one batched ``(C, S^2) @ (S^2, 9)``
    matrix product per cell) to its 9 neighbours, which add what they get.
    The sums are scaled by ``1 / S^2`` (SCN's ``avg_pool2d``) before ``eps``
    is added, as in SCN.

    Args:
        feat (Tensor): Pixel features ``(N, C, H, W)``.
        assoc (Tensor): Association ``(N, 9, H, W)``.
        cell_size (int): Cell side ``S``; ``H`` and ``W`` are multiples.
        eps (float): Added to the weight sums (empty cells give 0).

    Returns:
        Tensor: Cell features ``(N, C, H / S, W / S)``.
    """
    h, w = check_association(assoc, cell_size)
    _check_pixel_map('feat', feat, assoc)
    num, channels = feat.shape[:2]
    # contiguous operands: CPU bmm copies a transposed batch matrix by
    # matrix otherwise
    blocks = cell_blocks(assoc.to(feat.dtype),
                          cell_size).transpose(1, 2).contiguous()
    sent = torch.cat([torch.bmm(cell_blocks(feat, cell_size), blocks),
                      blocks.sum(1, keepdim=True)], 1) / cell_size**2
    acc = add_from_neighbours(
        sent.view(num, h, w, channels + 1, 9).permute(0, 3, 4, 1, 2))
    return acc[:, :channels] / (acc[:, channels:] + eps)


def unpool_by_association(cell_feat: torch.Tensor, assoc: torch.Tensor,
                          cell_size: int) -> torch.Tensor:
    """Reconstruct pixel features from their 9 neighbouring cells.

    ``f'(p) = sum_k q_k(p) cell[c_k(p)]``; invalid neighbours read zero.
    One batched ``(C, 9) @ (9, S^2)`` matrix product per cell.

    Args:
        cell_feat (Tensor): Cell features ``(N, C, H / S, W / S)``.
        assoc (Tensor): Association ``(N, 9, H, W)``.
        cell_size (int): Cell side ``S``.

    Returns:
        Tensor: Pixel features ``(N, C, H, W)``.
    """
    h, w = check_association(assoc, cell_size)
    if cell_feat.dim() != 4 or cell_feat.shape[-2:] != (h, w) or \
            cell_feat.shape[0] != assoc.shape[0]:
        raise ValueError(
            f'cell features of shape {tuple(cell_feat.shape)} do not match '
            f'the {h}x{w} grid of the association map {tuple(assoc.shape)}')
    out = torch.bmm(neighbour_cells(cell_feat),
                    cell_blocks(assoc.to(cell_feat.dtype), cell_size))
    return from_cell_blocks(out, cell_feat.shape[0], h, w, cell_size)


@lru_cache(maxsize=16)
def _neighbour_cell_index(height: int, width: int, cell_size: int,
                          device: str) -> Tuple[torch.Tensor, torch.Tensor]:
    h, w = height // cell_size, width // cell_size
    rows = torch.arange(height, device=device) // cell_size
    cols = torch.arange(width, device=device) // cell_size
    offsets = torch.tensor(NEIGHBOURS, device=device)
    nr = rows[None, :, None] + offsets[:, 0, None, None]
    nc = cols[None, None, :] + offsets[:, 1, None, None]
    valid = (nr >= 0) & (nr < h) & (nc >= 0) & (nc < w)
    index = nr.clamp(0, h - 1) * w + nc.clamp(0, w - 1)
    return index, valid


def neighbour_cell_index(height: int, width: int, cell_size: int,
                         device=None) -> Tuple[torch.Tensor, torch.Tensor]:
    """Flat cell id of every pixel's 9 neighbours, and which are valid
    (cached per size and device; treat the tensors as read-only).

    Args:
        height (int): Pixel rows ``H`` (a multiple of ``cell_size``).
        width (int): Pixel columns ``W``.
        cell_size (int): Cell side ``S``.
        device: Torch device of the outputs.

    Returns:
        tuple: ``index (9, H, W)`` int64 cell ids ``row * (W/S) + col``
        (invalid neighbours clamped into the grid) and ``valid (9, H, W)``
        bool.
    """
    return _neighbour_cell_index(height, width, cell_size,
                                 str(torch.device(device or 'cpu')))


def association_to_labels(assoc: torch.Tensor,
                          cell_size: int) -> torch.Tensor:
    """Hard superpixel labels: the cell id of each pixel's most likely valid
    neighbour ("winner takes all").

    Args:
        assoc (Tensor): Association ``(N, 9, H, W)``.
        cell_size (int): Cell side ``S``.

    Returns:
        Tensor: ``(N, H, W)`` int64 labels in ``0 .. (H/S)(W/S) - 1``.
    """
    _, w = check_association(assoc, cell_size)
    height, width = assoc.shape[-2:]
    # argmax over channels is several times faster in channels-last layout
    best = assoc.contiguous(memory_format=torch.channels_last).argmax(1)
    rows = torch.arange(height, device=assoc.device) // cell_size
    cols = torch.arange(width, device=assoc.device) // cell_size
    own = rows[:, None] * w + cols  # the pixel's own cell
    offset = torch.tensor([dy * w + dx for dy, dx in NEIGHBOURS],
                          device=assoc.device)
    labels = own + offset[best]
    _, valid = neighbour_cell_index(height, width, cell_size, assoc.device)
    picked_valid = valid[None].expand(assoc.shape[0], -1, -1, -1).gather(
        1, best[:, None])[:, 0]
    if not bool(picked_valid.all()):  # border pixels that chose outside
        scores = assoc.masked_fill(~valid[None], float('-inf'))
        fixed = own + offset[scores.argmax(1)]
        labels = torch.where(picked_valid, labels, fixed)
    return labels


def label_reconstruction_probability(labels: torch.Tensor,
                                     assoc: torch.Tensor,
                                     cell_size: int,
                                     eps: float = 1e-8) -> torch.Tensor:
    """Probability that pooling-then-unpooling one-hot labels returns each
    pixel's own label: ``unpool(pool(onehot(labels)))[label(p), p]``.

    Equal to SCN's reconstructed one-hot map read at the true label, but
    computed with one scatter (cell label histograms) and one gather, so it
    costs ``O(9 N H W)`` whatever the number of labels, instead of pooling a
    dense one-hot tensor.

    Args:
        labels (Tensor): ``(N, H, W)`` integer segment ids (any values).
        assoc (Tensor): Association ``(N, 9, H, W)``.
        cell_size (int): Cell side ``S``.
        eps (float): Added to the cells' weight sums (as in SCN).

    Returns:
        Tensor: ``(N, H, W)`` probabilities in ``[0, 1]``.
    """
    h, w = check_association(assoc, cell_size)
    _check_pixel_map('labels', labels, assoc)
    num = assoc.shape[0]
    # small ids are their own slots (no sort); negative ids share slot K
    compact, n_labels = compact_superpixel_ids(labels)
    compact, n_labels = compact.view(labels.shape), n_labels + 1
    index, valid = neighbour_cell_index(*assoc.shape[-2:], cell_size,
                                        assoc.device)
    n_cells = h * w + 1  # one extra "outside" cell per image, discarded
    cell = torch.where(valid, index, h * w)[None] + (
        torch.arange(num, device=assoc.device) * n_cells).view(-1, 1, 1, 1)
    slot = cell * n_labels + compact[:, None]  # (N, 9, H, W)
    hist = assoc.new_zeros(num * n_cells * n_labels).index_add_(
        0, slot.flatten(), assoc.flatten()).view(num * n_cells, n_labels)
    weight = hist.sum(1, keepdim=True)
    dist = hist / (weight + eps)
    outside = torch.arange(num, device=assoc.device) * n_cells + h * w
    dist = dist.index_fill(0, outside, 0.0).flatten()
    return (assoc * dist[slot]).sum(1)
