"""The strong photometric view of UniMatch / DDFP semi-supervised training
and of DINO's multi-crop views."""
import math
from numbers import Number
from typing import Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.registry import TRANSFORMS

Range = Union[float, Tuple[float, float]]

#: ITU-R 601-2 luma weights in BGR order (PIL's ``convert('L')``).
_LUMA_BGR = np.array([0.114, 0.587, 0.299], np.float32)


def _factor_range(name: str, value: Range, centre: float, lower: float,
                  upper: float) -> Tuple[float, float]:
    """torchvision's ColorJitter ranges: ``v -> [centre - v, centre + v]``."""
    if isinstance(value, Number):
        if value < 0:
            raise ValueError(f'{name} must be non-negative, got {value}; use '
                             f'0 to disable it.')
        low, high = centre - float(value), centre + float(value)
        low = max(low, lower)
    elif (isinstance(value, (tuple, list)) and len(value) == 2
          and all(isinstance(v, Number) for v in value)):
        low, high = float(value[0]), float(value[1])
    else:
        raise TypeError(f'{name} must be a number or a (min, max) pair, got '
                        f'{value!r}.')
    if not lower <= low <= high <= upper:
        raise ValueError(f'{name} range ({low}, {high}) must satisfy '
                         f'{lower} <= min <= max <= {upper}.')
    return low, high


def _check_prob(name: str, value: float) -> float:
    if not isinstance(value, Number) or not 0 <= value <= 1:
        raise ValueError(f'{name} must be a probability in [0, 1], got '
                         f'{value!r}.')
    return float(value)


@TRANSFORMS.register_module()
class StrongPhotometricAugment(BaseTransform):
    """Colour jitter, random grayscale and Gaussian blur of UniMatch / DDFP.

    The strong view of the unlabeled image, applied in this order, each step
    independently:

    1. With probability ``jitter_prob``: torchvision's
       ``ColorJitter(brightness, contrast, saturation, hue)``: the four
       adjustments in a random order, with factors drawn uniformly from
       ``[max(0, 1 - b), 1 + b]`` (brightness, contrast, saturation) and a
       hue shift from ``[-hue, hue]`` of a full turn. Brightness scales the
       image, contrast blends it with its mean luma, saturation blends it
       with its luma image, hue rotates the HSV hue (8-bit, as PIL).
    2. With probability ``gray_prob``: the luma image
       (``0.299 R + 0.587 G + 0.114 B``) replicated to three channels.
    3. With probability ``blur_prob``: a Gaussian blur of standard
       deviation ``sigma ~ U(blur_sigma)`` (PIL's ``GaussianBlur(radius=
       sigma)``), kernel ``2 * ceil(3 * sigma) + 1``, border replicated.
    4. With probability ``solarize_prob`` (0 in UniMatch / DDFP; 0.2 on
       DINO's second global view): PIL's ``ImageOps.solarize``, every value
       ``v >= 128`` becomes ``255 - v``.

    Only photometric: no pixel moves, so the view stays aligned with the
    weak view and the validity map. Randomness comes from numpy's global
    generator (seeded per worker by mmengine).

    Required Keys:

    - img (np.ndarray): (H, W, 3) uint8, BGR.

    Modified Keys:

    - img: same shape and dtype.

    Args:
        brightness (float | tuple[float, float]): Brightness jitter; a number
            ``b`` means factors in ``[max(0, 1 - b), 1 + b]``. Defaults to
            0.5.
        contrast (float | tuple[float, float]): As ``brightness``. Defaults
            to 0.5.
        saturation (float | tuple[float, float]): As ``brightness``.
            Defaults to 0.5.
        hue (float | tuple[float, float]): Hue shift in turns; a number
            ``h`` means ``[-h, h]``, within ``[-0.5, 0.5]``. Defaults to 0.25.
        jitter_prob (float): Probability of the colour jitter. Defaults to
            0.8.
        gray_prob (float): Probability of the grayscale. Defaults to 0.2.
        blur_prob (float): Probability of the blur. Defaults to 0.5.
        blur_sigma (tuple[float, float]): Range of the blur's sigma in
            pixels. Defaults to (0.1, 2.0).
        solarize_prob (float): Probability of the solarisation. Defaults
            to 0.
    """

    def __init__(self,
                 brightness: Range = 0.5,
                 contrast: Range = 0.5,
                 saturation: Range = 0.5,
                 hue: Range = 0.25,
                 jitter_prob: float = 0.8,
                 gray_prob: float = 0.2,
                 blur_prob: float = 0.5,
                 blur_sigma: Tuple[float, float] = (0.1, 2.0),
                 solarize_prob: float = 0.0) -> None:
        super().__init__()
        inf = math.inf
        self.brightness = _factor_range('brightness', brightness, 1, 0, inf)
        self.contrast = _factor_range('contrast', contrast, 1, 0, inf)
        self.saturation = _factor_range('saturation', saturation, 1, 0, inf)
        self.hue = _factor_range('hue', hue, 0, -0.5, 0.5)
        self.jitter_prob = _check_prob('jitter_prob', jitter_prob)
        self.gray_prob = _check_prob('gray_prob', gray_prob)
        self.blur_prob = _check_prob('blur_prob', blur_prob)
        self.solarize_prob = _check_prob('solarize_prob', solarize_prob)
        if (not isinstance(blur_sigma, (tuple, list)) or len(blur_sigma) != 2
                or not 0 < blur_sigma[0] <= blur_sigma[1]):
            raise ValueError('blur_sigma must be a (min, max) pair with 0 < '
                             f'min <= max, got {blur_sigma!r}.')
        self.blur_sigma = (float(blur_sigma[0]), float(blur_sigma[1]))

    # -- the single operations, on (H, W, 3) uint8 BGR ---------------------
    @staticmethod
    def _to_uint8(img: np.ndarray) -> np.ndarray:
        return np.clip(np.rint(img), 0, 255).astype(np.uint8)

    @staticmethod
    def _luma(img: np.ndarray) -> np.ndarray:
        """(H, W, 3) uint8 BGR -> (H, W, 1) float32 luma."""
        return (img.astype(np.float32) @ _LUMA_BGR)[..., None]

    @classmethod
    def adjust_brightness(cls, img: np.ndarray, factor: float) -> np.ndarray:
        """Scale every value by ``factor`` (0 gives black)."""
        return cls._to_uint8(img.astype(np.float32) * factor)

    @classmethod
    def adjust_contrast(cls, img: np.ndarray, factor: float) -> np.ndarray:
        """Blend with the image's mean luma (0 gives a flat gray image)."""
        mean = float(cls._luma(img).mean())
        return cls._to_uint8(factor * img.astype(np.float32) +
                             (1 - factor) * mean)

    @classmethod
    def adjust_saturation(cls, img: np.ndarray, factor: float) -> np.ndarray:
        """Blend with the luma image (0 gives the grayscale image)."""
        return cls._to_uint8(factor * img.astype(np.float32) +
                             (1 - factor) * cls._luma(img))

    @staticmethod
    def adjust_hue(img: np.ndarray, shift: float) -> np.ndarray:
        """Rotate the 8-bit HSV hue by ``shift`` turns (PIL's method)."""
        step = int(round(shift * 256)) % 256
        if step == 0:  # the 8-bit HSV round trip alone is lossy
            return img
        hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV_FULL)
        hsv[..., 0] = (hsv[..., 0].astype(np.int32) + step) % 256
        return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR_FULL)

    @staticmethod
    def to_grayscale(img: np.ndarray) -> np.ndarray:
        """Luma replicated to three channels."""
        gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)

    @staticmethod
    def gaussian_blur(img: np.ndarray, sigma: float) -> np.ndarray:
        """Gaussian blur of std ``sigma``, kernel ``2 * ceil(3 sigma) + 1``."""
        k = 2 * math.ceil(3 * sigma) + 1
        return cv2.GaussianBlur(img, (k, k), sigmaX=sigma, sigmaY=sigma,
                                borderType=cv2.BORDER_REPLICATE)

    @staticmethod
    def solarize(img: np.ndarray, threshold: int = 128) -> np.ndarray:
        """Invert every value at or above ``threshold`` (PIL's method)."""
        return np.where(img >= threshold, 255 - img, img).astype(np.uint8)

    # -- the random composition --------------------------------------------
    def _color_jitter(self, img: np.ndarray) -> np.ndarray:
        order = np.random.permutation(4)
        b = np.random.uniform(*self.brightness)
        c = np.random.uniform(*self.contrast)
        s = np.random.uniform(*self.saturation)
        h = np.random.uniform(*self.hue)
        ops = (lambda x: self.adjust_brightness(x, b),
               lambda x: self.adjust_contrast(x, c),
               lambda x: self.adjust_saturation(x, s),
               lambda x: self.adjust_hue(x, h))
        for i in order:
            img = ops[i](img)
        return img

    @staticmethod
    def _check_img(results: dict) -> np.ndarray:
        if 'img' not in results:
            raise KeyError('StrongPhotometricAugment needs results["img"]; '
                           'put it after LoadImageFromFile.')
        img = results['img']
        if not isinstance(img, np.ndarray) or img.dtype != np.uint8:
            what = (img.dtype if isinstance(img, np.ndarray) else type(img))
            raise TypeError('StrongPhotometricAugment needs a uint8 numpy '
                            f'image, got {what}; apply it before any '
                            'normalisation or float conversion.')
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError('StrongPhotometricAugment needs an (H, W, 3) BGR '
                             f'image, got shape {img.shape}; load images with '
                             "LoadImageFromFile(color_type='color').")
        return img

    def transform(self, results: dict) -> dict:
        """Apply the strong view to ``results['img']``.

        Args:
            results (dict): With ``img`` (H, W, 3) uint8 BGR.

        Returns:
            dict: ``results`` with ``img`` replaced, same shape and dtype.
        """
        img = self._check_img(results)
        if np.random.rand() < self.jitter_prob:
            img = self._color_jitter(img)
        if np.random.rand() < self.gray_prob:
            img = self.to_grayscale(img)
        if np.random.rand() < self.blur_prob:
            img = self.gaussian_blur(img, np.random.uniform(*self.blur_sigma))
        if self.solarize_prob and np.random.rand() < self.solarize_prob:
            img = self.solarize(img)
        results['img'] = np.ascontiguousarray(img)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(brightness={self.brightness}, '
                f'contrast={self.contrast}, saturation={self.saturation}, '
                f'hue={self.hue}, jitter_prob={self.jitter_prob}, '
                f'gray_prob={self.gray_prob}, blur_prob={self.blur_prob}, '
                f'blur_sigma={self.blur_sigma}, '
                f'solarize_prob={self.solarize_prob})')
