"""CutMix between the images of a batch, applied to images and labels alike."""
from typing import Tuple

import numpy as np
import torch


def cutmix_boxes(num: int, height: int, width: int,
                 area_ratio: float = 0.5) -> torch.Tensor:
    """Random boxes covering ``area_ratio`` of an image (U2PL / DDFP style).

    The box width is drawn in ``(W * area_ratio, W)``, the height follows
    from the area, and the position is uniform.

    Returns:
        Tensor: ``(num, H, W)`` bool masks, True inside the box.
    """
    masks = torch.zeros(num, height, width, dtype=torch.bool)
    area = height * width * area_ratio
    for i in range(num):  # one box per image, not per pixel
        w = np.random.randint(int(width * area_ratio) + 1, width + 1)
        h = min(height, int(round(area / w)))
        x0 = np.random.randint(0, width - w + 1)
        y0 = np.random.randint(0, height - h + 1)
        masks[i, y0:y0 + h, x0:x0 + w] = True
    return masks


def cutmix(images: torch.Tensor, labels: torch.Tensor,
           masks: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Paste, inside each mask, the next image of the batch (``i + 1``,
    cyclically) and its labels.

    Args:
        images (Tensor): ``(N, C, H, W)``.
        labels (Tensor): ``(N, H, W)``.
        masks (Tensor): ``(N, H, W)`` bool, from :func:`cutmix_boxes`.

    Returns:
        tuple: Mixed images ``(N, C, H, W)`` and labels ``(N, H, W)``.
    """
    if images.shape[0] != labels.shape[0] or images.shape[-2:] != \
            labels.shape[-2:] or masks.shape != labels.shape:
        raise ValueError(
            f'cutmix needs matching images {tuple(images.shape)}, labels '
            f'{tuple(labels.shape)} and masks {tuple(masks.shape)}')
    masks = masks.to(images.device)
    mixed_images = torch.where(masks[:, None], images.roll(-1, 0), images)
    mixed_labels = torch.where(masks, labels.roll(-1, 0), labels)
    return mixed_images, mixed_labels
