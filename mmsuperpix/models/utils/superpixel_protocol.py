"""The superpixel prediction protocol of SCN/AINet, in one place.

``resize so the 16-px grid gives ~n_segments cells -> network -> hard labels
-> nearest upsampling to the output size -> connectivity``. The segmentor,
the ``superpixelize`` API and the superpixel pooling head all call
:func:`predict_superpixels`.
"""
import math
from typing import Callable, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from mmsuperpix.ops import (association_to_labels, connectivity_sizes,
                            enforce_connectivity)


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


def check_segment_request(n_segments: Optional[int],
                          segment_size: Optional[float]) -> None:
    """Exactly one of a superpixel count and a mean superpixel side."""
    if (n_segments is None) == (segment_size is None):
        raise ValueError('give exactly one of n_segments and segment_size, '
                         f'got {n_segments!r} and {segment_size!r}')
    if (n_segments is not None and n_segments < 1) or (
            segment_size is not None and segment_size <= 0):
        raise ValueError('n_segments must be >= 1 and segment_size > 0')


def segment_count(height: int, width: int, n_segments: Optional[int],
                  segment_size: Optional[float]) -> int:
    """Superpixels to request for an ``height x width`` image: ``n_segments``
    or ``H * W / segment_size ** 2``, capped at the pixel count."""
    if n_segments is None:
        n_segments = max(1, round(height * width / segment_size**2))
    return min(int(n_segments), height * width)


def predict_superpixels(network: Callable[[torch.Tensor], torch.Tensor],
                        image: torch.Tensor,
                        n_segments: int,
                        cell_size: int = 16,
                        out_shape: Optional[Tuple[int, int]] = None,
                        connectivity: bool = True) -> np.ndarray:
    """Superpixels of one image with SCN's test protocol.

    Args:
        network (Callable): Maps a normalised image ``(1, 3, h, w)`` (``h``
            and ``w`` multiples of ``cell_size``) to its association
            ``(1, 9, h, w)``.
        image (Tensor): Normalised image ``(1, 3, H, W)`` or ``(3, H, W)``.
        n_segments (int): Desired number of superpixels; the image is
            resized (bicubic) to ``grid_shape(...) * cell_size``.
        cell_size (int): The network's cell side. Defaults to 16.
        out_shape (tuple, optional): ``(H0, W0)`` of the returned labels;
            defaults to the image size.
        connectivity (bool): Enforce 4-connected superpixels with SSN/SCN's
            sizes (0.06x / 3x the average cell area). Defaults to True.

    Returns:
        np.ndarray: ``(H0, W0)`` int32 labels; with ``connectivity`` they are
        ``0..K-1`` and each label is one 4-connected region.
    """
    if image.dim() == 3:
        image = image[None]
    if image.dim() != 4 or image.shape[0] != 1:
        raise ValueError(
            f'expected one image (1, C, H, W), got {tuple(image.shape)}')
    labels, _ = predict_superpixel_batch(network, image, n_segments,
                                         cell_size, out_shape, connectivity)
    return labels[0].to(torch.int32).cpu().numpy()


def predict_superpixel_batch(
        network: Callable[[torch.Tensor], torch.Tensor],
        images: torch.Tensor,
        n_segments: int,
        cell_size: int = 16,
        out_shape: Optional[Tuple[int, int]] = None,
        connectivity: bool = True) -> Tuple[torch.Tensor, torch.Tensor]:
    """Superpixels of a batch with SCN's test protocol, and the association.

    Args:
        network (Callable): As in :func:`predict_superpixels`.
        images (Tensor): Normalised images ``(N, 3, H, W)``.
        n_segments (int): Desired number of superpixels per image.
        cell_size (int): The network's cell side. Defaults to 16.
        out_shape (tuple, optional): ``(H0, W0)`` of the labels; defaults
            to the image size.
        connectivity (bool): Enforce 4-connected superpixels (per image, on
            the CPU). Defaults to True.

    Returns:
        tuple: ``labels (N, H0, W0)`` int64 on the images' device and the
        association ``(N, 9, h, w)`` at the network resolution
        ``h = rows * cell_size``, ``w = cols * cell_size``.
    """
    height, width = images.shape[-2:]
    out_shape = tuple(out_shape or (height, width))
    rows, cols = grid_shape(height, width, n_segments)
    size = (rows * cell_size, cols * cell_size)
    if size != (height, width):
        images = F.interpolate(images, size, mode='bicubic',
                               align_corners=False)
    assoc = network(images)
    labels = association_to_labels(assoc, cell_size)
    labels = F.interpolate(labels[:, None].float(), out_shape,
                           mode='nearest')[:, 0].long()
    if connectivity:
        sizes = connectivity_sizes(*out_shape, rows * cols)
        labels = torch.stack([
            torch.from_numpy(
                enforce_connectivity(m.to(torch.int32).cpu().numpy(),
                                     *sizes).astype(np.int64))
            for m in labels]).to(assoc.device)
    return labels, assoc
