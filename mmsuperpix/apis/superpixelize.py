"""Compute superpixels of any image with any superpixel method."""
from typing import Union

import cv2
import numpy as np
import torch

from mmsuperpix.superpixels import (LearnedSuperpixels, MethodSpec,
                                    SuperpixelMethod,
                                    build_superpixel_method)
from mmsuperpix.utils.image_io import read_image


def to_bgr_uint8(image: Union[str, np.ndarray]) -> np.ndarray:
    """Read or check an image and return it as ``(H, W, 3)`` uint8 BGR.

    Accepts a file path or an array: ``(H, W)`` / ``(H, W, 1)`` grayscale,
    ``(H, W, 3)`` BGR, ``(H, W, 4)`` BGRA (alpha dropped); uint8, or uint16
    (scaled to 8 bits), or floats in ``[0, 1]``. Files are read with
    :func:`~mmsuperpix.utils.image_io.read_image`: a damaged or truncated
    file raises a ValueError naming it.
    """
    if isinstance(image, str):
        image = read_image(image, cv2.IMREAD_UNCHANGED)
    if not isinstance(image, np.ndarray):
        raise TypeError(
            f'expected a path or a numpy array, got {type(image).__name__}')
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and
                                    image.shape[2] not in (3, 4)):
        raise ValueError(
            f'expected an (H, W), (H, W, 3) or (H, W, 4) image, got shape '
            f'{image.shape}')
    if image.size == 0:
        raise ValueError(f'the image is empty (shape {image.shape})')
    if image.dtype == np.uint16:
        image = (image // 257).astype(np.uint8)
    elif np.issubdtype(image.dtype, np.floating):
        if not np.isfinite(image).all() or image.min() < 0 or \
                image.max() > 1:
            raise ValueError(
                'float images must be finite and in [0, 1]; convert to '
                'uint8 BGR first')
        image = np.round(image * 255).astype(np.uint8)
    elif image.dtype != np.uint8:
        raise TypeError(f'unsupported image dtype {image.dtype}; use uint8')
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return np.ascontiguousarray(image[..., :3])
    return image


def superpixelize(method: Union[MethodSpec, torch.nn.Module],
                  image: Union[str, np.ndarray],
                  n_segments: int = 600) -> np.ndarray:
    """Superpixels of one image.

    Args:
        method (str | dict | SuperpixelMethod | nn.Module): Any superpixel
            method (a name such as ``'default'`` or ``'opencv_slic'``, a
            config, an instance; see ``build_superpixel_method``), or a
            model from :func:`~mmsuperpix.superpixels.init_superpixel_model`.
            Build a method once and pass the instance when segmenting many
            images: a name or config builds it (and loads a network's
            weights) on every call.
        image (str | np.ndarray): Path, or array as :func:`to_bgr_uint8`
            accepts; any size.
        n_segments (int): Desired number of superpixels (the result is
            close, not exact). Capped at the number of pixels.

    Returns:
        np.ndarray: ``(H, W)`` int32 labels ``0..K-1`` (each label one
        4-connected region for the learned methods).

    Raises:
        ValueError: ``n_segments`` is not a positive int, the image file is
            damaged, or a network's input for ``n_segments`` (16x16 px per
            superpixel) would not fit in memory (checked before anything is
            allocated; the message gives the largest count that fits).
    """
    if isinstance(method, torch.nn.Module):
        method = LearnedSuperpixels.from_model(method)
    elif not isinstance(method, SuperpixelMethod):
        method = build_superpixel_method(method)
    return method(to_bgr_uint8(image), n_segments)
