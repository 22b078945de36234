"""Hard superpixel pooling: the mean of the features of every superpixel of
an exact label map, and its broadcast back to the pixels.

Labels are any integers per image (gaps in the ids are fine); negative
labels mark pixels that belong to no superpixel (e.g. padding): they are
left out of every mean and keep their own features. One ``scatter_add``
and one ``gather`` over the flattened pixels, no loop over superpixels.
"""
from typing import Tuple

import torch


def _check_labels(feat: torch.Tensor, labels: torch.Tensor) -> None:
    if feat.dim() != 4:
        raise ValueError(
            f'features must be (N, C, H, W), got {tuple(feat.shape)}')
    if labels.dim() != 3 or labels.shape[0] != feat.shape[0] or \
            labels.shape[-2:] != feat.shape[-2:]:
        raise ValueError(
            f'superpixel labels of shape {tuple(labels.shape)} are not '
            f'aligned with the features {tuple(feat.shape)}: expected '
            f'({feat.shape[0]}, {feat.shape[2]}, {feat.shape[3]}); resize '
            'the labels with nearest interpolation first')
    if labels.dtype.is_floating_point or labels.dtype == torch.bool:
        raise TypeError(f'superpixel labels must be integers, got '
                        f'{labels.dtype}')


def compact_superpixel_ids(labels: torch.Tensor) -> Tuple[torch.Tensor, int]:
    """Slot of every pixel in a table of ``K + 1`` superpixels per image.

    Args:
        labels (Tensor): ``(N, H, W)`` integer ids, negative = none.

    Returns:
        tuple: ``slots (N, H * W)`` int64 in ``0..K`` (``K`` = pixels with
        no superpixel) and ``K``. Ids are used as slots when they are small
        (``max < H * W``); otherwise they are renumbered (gaps removed).
    """
    flat = labels.reshape(labels.shape[0], -1).long()
    valid = flat >= 0
    if not bool(valid.any()):
        return torch.zeros_like(flat), 0
    top = int(flat.max())
    if top < flat.shape[1]:
        num = top + 1
        return torch.where(valid, flat, num), num
    _, inverse = torch.unique(flat.clamp(min=-1), return_inverse=True)
    inverse = inverse - int(not bool(valid.all()))  # -1 is the first value
    num = int(inverse.max()) + 1
    return torch.where(valid, inverse, num), num


def superpixel_pool(feat: torch.Tensor,
                    labels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Mean feature of every superpixel.

    Args:
        feat (Tensor): ``(N, C, H, W)`` features.
        labels (Tensor): ``(N, H, W)`` integer superpixel ids (negative =
            no superpixel).

    Returns:
        tuple: ``means (N, C, K + 1)`` (slot ``K`` and ids absent from an
        image hold zeros) and ``slots (N, H * W)`` from
        :func:`compact_superpixel_ids`, for :func:`superpixel_unpool`.
    """
    _check_labels(feat, labels)
    num, channels = feat.shape[:2]
    slots, k = compact_superpixel_ids(labels.to(feat.device))
    index = slots[:, None].expand(num, channels, -1)
    sums = feat.new_zeros(num, channels, k + 1).scatter_add_(
        2, index, feat.reshape(num, channels, -1))
    counts = torch.zeros(num, k + 1, dtype=feat.dtype,
                         device=feat.device).scatter_add_(
                             1, slots, feat.new_ones(slots.shape))
    counts[:, k] = 0  # slot k is not a superpixel
    return sums / counts.clamp(min=1)[:, None], slots


def superpixel_unpool(means: torch.Tensor, slots: torch.Tensor,
                      feat: torch.Tensor) -> torch.Tensor:
    """Broadcast superpixel means back to their pixels.

    Args:
        means (Tensor): ``(N, C, K + 1)`` from :func:`superpixel_pool`.
        slots (Tensor): ``(N, H * W)`` from :func:`superpixel_pool`.
        feat (Tensor): ``(N, C, H, W)`` features kept by the pixels with no
            superpixel (slot ``K``).

    Returns:
        Tensor: ``(N, C, H, W)``.
    """
    num, channels = means.shape[:2]
    index = slots[:, None].expand(num, channels, -1)
    out = means.gather(2, index).view_as(feat)
    none = slots == means.shape[2] - 1
    if bool(none.any()):
        out = torch.where(none.view(num, 1, *feat.shape[-2:]), feat, out)
    return out


def superpixel_mean(feat: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Replace every pixel's features by the mean of its superpixel.

    Args:
        feat (Tensor): ``(N, C, H, W)``.
        labels (Tensor): ``(N, H, W)`` integer ids, negative = unpooled.

    Returns:
        Tensor: ``(N, C, H, W)``; differentiable w.r.t. ``feat``.
    """
    means, slots = superpixel_pool(feat, labels)
    return superpixel_unpool(means, slots, feat)
