"""CutMix between the images of a batch, applied to images and labels alike."""
from typing import Tuple

import torch


def cutmix_boxes(num: int, height: int, width: int,
                 area_ratio: float = 0.5) -> torch.Tensor:
    """Random boxes covering ``area_ratio`` of an image (U2PL / DDFP style).

    The box width is drawn in ``(W * area_ratio, W]``, the height follows
    from the area, and the position is uniform. Drawn from torch's
    generator, like every random choice of the models (the data pipeline
    draws from numpy's), so ``--resume`` can restore it exactly.

    Returns:
        Tensor: ``(num, H, W)`` bool masks, True inside the box.
    """
    low = int(width * area_ratio) + 1
    w = low + (torch.rand(num) * (width + 1 - low)).long()
    h = (height * width * area_ratio / w).round().long().clamp(max=height)
    x0 = (torch.rand(num) * (width - w + 1)).long()
    y0 = (torch.rand(num) * (height - h + 1)).long()
    cols, rows = torch.arange(width), torch.arange(height)
    inside_x = (cols >= x0[:, None]) & (cols < (x0 + w)[:, None])
    inside_y = (rows >= y0[:, None]) & (rows < (y0 + h)[:, None])
    return inside_y[:, :, None] & inside_x[:, None, :]


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
