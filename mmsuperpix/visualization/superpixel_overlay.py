"""Draw superpixel boundaries on images."""
from typing import Optional, Sequence

import numpy as np

from mmsuperpix.evaluation.functional import boundary_map


def draw_superpixel_boundaries(image: np.ndarray,
                               labels: np.ndarray,
                               colour: Sequence[int] = (0, 255, 255),
                               ground_truth: Optional[np.ndarray] = None,
                               gt_colour: Sequence[int] = (255, 0, 255)
                               ) -> np.ndarray:
    """Paint superpixel (and optionally ground-truth) boundaries.

    Boundary pixels are those whose label differs from a 4-neighbour, as in
    the benchmark metrics.

    Args:
        image (np.ndarray): ``(H, W, 3)`` uint8, in the channel order of
            ``colour`` (BGR for OpenCV files).
        labels (np.ndarray): ``(H, W)`` superpixel labels.
        colour (Sequence[int]): Superpixel boundary colour. Defaults to
            yellow in BGR.
        ground_truth (np.ndarray, optional): ``(H, W)`` segments whose
            boundaries are drawn first, in ``gt_colour``.
        gt_colour (Sequence[int]): Ground-truth colour (magenta).

    Returns:
        np.ndarray: A new ``(H, W, 3)`` uint8 image.
    """
    if image.ndim != 3 or image.shape[2] != 3 or \
            image.shape[:2] != labels.shape:
        raise ValueError(
            f'need an (H, W, 3) image and (H, W) labels of the same size, '
            f'got {image.shape} and {labels.shape}')
    out = image.copy()
    if ground_truth is not None:
        out[boundary_map(ground_truth)] = gt_colour
    out[boundary_map(labels)] = colour
    return out
