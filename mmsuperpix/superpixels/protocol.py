"""The superpixel prediction protocol of the grid networks (SCN, AINet).

``resize so the 16-px grid gives ~n_segments cells -> network -> hard labels
-> exact nearest upsampling to the output size -> connectivity``. The
superpixel segmentor and every learned superpixel method call
:func:`predict_superpixel_batch`, which checks the request with
:func:`network_grid` before it allocates anything: the network input grows
with ``n_segments`` (16x16 px per superpixel), not with the image.

Labels go back to the image size with :func:`upsample_labels`
(``nearest-exact``: output pixel ``i`` reads input pixel
``floor((i + 0.5) * h / H)``, the pixel whose area holds its centre). SCN's
scripts used ``mode='nearest'`` (``floor(i * h / H)``), which shifts every
boundary by up to one pixel toward the bottom/right.
"""
import math
from contextlib import nullcontext
from typing import Callable, Optional, Tuple

import numpy as np
import psutil
import torch
import torch.nn.functional as F

from mmsuperpix.ops import (association_to_labels, connectivity_sizes,
                            enforce_connectivity)
from .conventions import check_n_segments

#: Inference precisions of a superpixel network (None: the config's).
PRECISIONS = (None, 'float32', 'bfloat16', 'float16', 'auto')


def check_precision(precision: Optional[str], name: str) -> None:
    """Raise a clear error unless ``precision`` is one of
    :data:`PRECISIONS`."""
    if precision not in PRECISIONS:
        raise ValueError(f'{name} must be one of {PRECISIONS[1:]} or None, '
                         f'got {precision!r}')


def precision_context(precision: Optional[str], device_type: str):
    """``torch.autocast`` for ``'bfloat16'``/``'float16'``; ``'auto'`` is
    bfloat16 on CPUs with native support (AVX512-BF16/AMX), float32
    elsewhere; None/``'float32'``: no autocast."""
    if precision == 'auto':
        native = device_type == 'cpu' and \
            torch.ops.mkldnn._is_mkldnn_bf16_supported()
        precision = 'bfloat16' if native else None
    if precision in (None, 'float32'):
        return nullcontext()
    return torch.autocast(device_type, getattr(torch, precision))


def upsample_labels(labels: torch.Tensor, size: Tuple[int, int]
                    ) -> torch.Tensor:
    """Integer maps ``(N, h, w)`` to ``(N, H, W)`` by exact nearest
    sampling (see the module docs); the dtype is kept."""
    if tuple(labels.shape[-2:]) == tuple(size):
        return labels
    return F.interpolate(labels[:, None].float(), tuple(size),
                         mode='nearest-exact')[:, 0].to(labels.dtype)


def grid_shape(height: int, width: int, n_segments: int) -> Tuple[int, int]:
    """Cells ``(rows, cols)`` closest to ``n_segments`` at the image aspect.

    BSDS500 (321x481) gives SCN's grids: 600 -> (20, 30), 54 -> (6, 9),
    1944 -> (36, 54).

    Args:
        height (int): Image rows.
        width (int): Image columns.
        n_segments (int): Desired number of superpixels (>= 1).

    Returns:
        tuple[int, int]: Grid rows and columns (each >= 1).
    """
    if n_segments < 1:
        raise ValueError(f'n_segments must be >= 1, got {n_segments}')
    rows = max(1, round(math.sqrt(n_segments * height / width)))
    return rows, max(1, round(n_segments / rows))


#: Peak memory of the protocol per pixel of the network input, in bytes.
#: Measured with ``benchmarks/protocol_memory.py`` (peak resident memory of a
#: ``superpixelize`` call above the memory before it, fitted linearly over 3
#: to 12 M network pixels): AINet 368, SCN 369 in float32 (about 245 in
#: bfloat16); rounded up.
BYTES_PER_NETWORK_PIXEL = 384
#: Full-resolution clustering (the default SSN-on-SCN model), per image:
#: ``BYTES_PER_CLUSTERED_PIXEL`` per pixel plus ``BYTES_PER_CLUSTER`` per
#: cluster (``ceil(H / S) * ceil(W / S)`` of them, one per pixel at
#: ``S = 1``). Measured with ``benchmarks/protocol_memory.py --clustered``
#: (a least-squares fit over 0.19 to 0.75 M pixels and 600 to 750,000
#: clusters: about 440 bytes per pixel and 3,500 per cluster; every measured
#: peak is at most 0.68 of this estimate).
BYTES_PER_CLUSTERED_PIXEL = 640
BYTES_PER_CLUSTER = 6144


def available_memory(device: torch.device) -> int:
    """Bytes that new tensors on ``device`` can use now: free plus cached
    memory of a CUDA device, else the system's available memory."""
    if device.type == 'cuda':
        free, _ = torch.cuda.mem_get_info(device)
        return free + torch.cuda.memory_reserved(
            device) - torch.cuda.memory_allocated(device)
    return psutil.virtual_memory().available


def _readable(n_bytes: int) -> str:
    """``n_bytes`` in GiB, or MiB below 1 GiB."""
    if n_bytes >= 2**30:
        return f'{n_bytes / 2**30:.1f} GiB'
    return f'{n_bytes / 2**20:.0f} MiB'


def network_grid(height: int,
                 width: int,
                 n_segments: int,
                 n_images: int = 1,
                 cell_size: int = 16,
                 device: torch.device = torch.device('cpu')
                 ) -> Tuple[int, int]:
    """The grid ``(rows, cols)`` the network runs at, checked against memory.

    ``n_segments`` is capped at the ``height * width`` pixels; the network
    input is then ``(n_images, 3, rows * cell_size, cols * cell_size)``,
    whose estimated peak (:data:`BYTES_PER_NETWORK_PIXEL` per pixel) must fit
    in :func:`available_memory`.

    Args:
        height (int): Image rows ``H``.
        width (int): Image columns ``W``.
        n_segments (int): Requested superpixels per image (a positive int).
        n_images (int): Images run together. Defaults to 1.
        cell_size (int): The network's cell side. Defaults to 16.
        device (torch.device): Where the network runs. Defaults to the CPU.

    Returns:
        tuple[int, int]: Grid rows and columns.

    Raises:
        ValueError: ``n_segments`` is not a positive int, or the network
            input would not fit in memory; the message gives the largest
            count that fits.
    """
    requested = check_n_segments(n_segments)
    count = min(requested, height * width)
    per_cell = n_images * cell_size**2 * BYTES_PER_NETWORK_PIXEL

    def needed(n: int) -> int:
        rows, cols = grid_shape(height, width, n)
        return rows * cols * per_cell

    available = available_memory(device)
    if needed(count) <= available:
        return grid_shape(height, width, count)
    fit = min(available // per_cell, height * width)
    while fit >= 1 and needed(fit) > available:
        fit -= max(1, fit // 100)
    rows, cols = grid_shape(height, width, count)
    suggestion = (f'request at most n_segments={fit:,} or downscale the '
                  'image' if fit >= 1 else 'free memory first')
    raise ValueError(
        f'n_segments={requested:,} is too many for {n_images} {height}x'
        f'{width} image(s) on {device}: the superpixel protocol runs the '
        f'network at {cell_size}x{cell_size} px per superpixel, on a '
        f'{rows * cell_size}x{cols * cell_size} input that needs about '
        f'{_readable(needed(count))} ({BYTES_PER_NETWORK_PIXEL} bytes per '
        f'network pixel), but {_readable(available)} is available. '
        f'This image allows at most {max(fit, 0):,} superpixels in this '
        f'memory (and never more than its {height * width:,} pixels); '
        f'{suggestion}.')


def predict_superpixel_batch(
        network: Callable[[torch.Tensor], torch.Tensor],
        images: torch.Tensor,
        n_segments: int,
        cell_size: int = 16,
        out_shape: Optional[Tuple[int, int]] = None,
        connectivity: bool = True) -> Tuple[torch.Tensor, torch.Tensor]:
    """Superpixels of a batch with SCN's test protocol, and the association.

    Args:
        network (Callable): Maps normalised images ``(N, 3, h, w)`` (``h``
            and ``w`` multiples of ``cell_size``) to their association
            ``(N, 9, h, w)``.
        images (Tensor): Normalised images ``(N, 3, H, W)``.
        n_segments (int): Desired number of superpixels per image, capped
            at the pixel count and checked by :func:`network_grid`.
        cell_size (int): The network's cell side. Defaults to 16.
        out_shape (tuple, optional): ``(H0, W0)`` of the labels; defaults
            to the image size.
        connectivity (bool): Enforce 4-connected superpixels with SSN/SCN's
            sizes (0.06x / 3x the average cell area; per image, on the
            CPU). Defaults to True.

    Returns:
        tuple: ``labels (N, H0, W0)`` int64 on the images' device and the
        association ``(N, 9, h, w)`` at the network resolution
        ``h = rows * cell_size``, ``w = cols * cell_size``.
    """
    height, width = images.shape[-2:]
    out_shape = tuple(out_shape or (height, width))
    rows, cols = network_grid(height, width, n_segments, images.shape[0],
                              cell_size, images.device)
    size = (rows * cell_size, cols * cell_size)
    if size != (height, width):
        images = F.interpolate(images, size, mode='bicubic',
                               align_corners=False)
    assoc = network(images)
    labels = upsample_labels(association_to_labels(assoc, cell_size).long(),
                             out_shape)
    return connected_superpixels(labels, rows * cols, connectivity), assoc


def cluster_cell_size(height: int, width: int, n_segments: int) -> int:
    """Cell side ``round(sqrt(H * W / n))`` (at least 1) of full-resolution
    clustering: about ``n_segments`` cells of ``S x S`` pixels."""
    count = min(check_n_segments(n_segments), height * width)
    return max(1, round(math.sqrt(height * width / count)))


def cluster_superpixel_batch(
        network: Callable[[torch.Tensor, int], torch.Tensor],
        images: torch.Tensor,
        n_segments: int,
        out_shape: Optional[Tuple[int, int]] = None,
        connectivity: bool = True) -> Tuple[torch.Tensor, torch.Tensor]:
    """Superpixels of a batch by clustering at full resolution (a head that
    clusters at any cell size, such as SSN's): no resize of the image.

    Args:
        network (Callable): Maps normalised images ``(N, 3, H, W)`` and a
            cell size ``S`` to the association ``(N, 9, H', W')`` on
            ``S x S`` cells, ``H', W'`` being ``H, W`` rounded up to
            multiples of ``S``.
        images (Tensor): Normalised images ``(N, 3, H, W)``, any size.
        n_segments (int): Desired superpixels per image: ``S`` is
            :func:`cluster_cell_size`.
        out_shape (tuple, optional): ``(H0, W0)`` of the labels; defaults
            to the image size.
        connectivity (bool): As in :func:`predict_superpixel_batch`.

    Returns:
        tuple: ``labels (N, H0, W0)`` int64 and the association.
    """
    height, width = images.shape[-2:]
    cell_size = cluster_cell_size(height, width, n_segments)
    n_cells = math.ceil(height / cell_size) * math.ceil(width / cell_size)
    n_images = images.shape[0]
    per_image = height * width * BYTES_PER_CLUSTERED_PIXEL
    needed = n_images * (per_image + n_cells * BYTES_PER_CLUSTER)
    available = available_memory(images.device)
    if needed > available:
        fit = (available // n_images - per_image) // BYTES_PER_CLUSTER
        hint = (f'request at most n_segments={fit:,}, downscale the images '
                'or run fewer at once' if fit >= 1 else
                'downscale the images or run fewer at once')
        raise ValueError(
            f'n_segments={n_segments:,} gives {n_cells:,} clusters per '
            f'{height}x{width} image; {n_images} image(s) need about '
            f'{_readable(needed)} to cluster at full resolution '
            f'({BYTES_PER_CLUSTERED_PIXEL} bytes per pixel and '
            f'{BYTES_PER_CLUSTER} per cluster), but {_readable(available)} '
            f'is available on {images.device}; {hint}')
    assoc = network(images, cell_size)
    labels = association_to_labels(assoc, cell_size)[:, :height, :width]
    labels = upsample_labels(labels, tuple(out_shape or (height, width)))
    return connected_superpixels(labels, n_cells, connectivity), assoc


def connected_superpixels(labels: torch.Tensor, n_cells: int,
                          connectivity: bool = True) -> torch.Tensor:
    """``labels (N, H, W)`` with 4-connected superpixels (SSN/SCN's sizes:
    0.06x / 3x the average area of ``n_cells`` clusters), on the CPU; the
    result ``(N, H, W)`` int64 is on ``labels``' device."""
    if not connectivity:
        return labels
    sizes = connectivity_sizes(*labels.shape[-2:], n_cells)
    return torch.stack([
        torch.from_numpy(
            enforce_connectivity(m.to(torch.int32).cpu().numpy(),
                                 *sizes).astype(np.int64))
        for m in labels]).to(labels.device)
