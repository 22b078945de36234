"""Crop a random area and aspect ratio, resize to a fixed size (the
multi-crop views of DINO and of most self-supervised recipes)."""
import math
from typing import Sequence, Tuple, Union

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomResizedCrop(BaseTransform):
    """torchvision's ``RandomResizedCrop`` on mmseg results.

    Up to ``max_attempts`` times, draw an area share ``s ~ U(scale)`` of the
    image and an aspect ratio ``r`` log-uniform in ``ratio``; the first box
    ``w = sqrt(s A r)``, ``h = sqrt(s A / r)`` that fits is placed uniformly
    at random. If none fits, the centred box of the whole image clamped to
    ``ratio`` is used (torchvision's fallback). The box is resized to
    ``size`` (bicubic for the image, as DINO; nearest for ``seg_fields``).

    Required Keys: ``img`` (H, W, 3); optional ``seg_fields`` maps.
    Modified Keys: ``img``, ``img_shape``, the ``seg_fields`` maps.
    Added Keys: ``crop_bbox`` (x1, y1, x2, y2) in the input image.

    Args:
        size (int | tuple[int, int]): Output ``(h, w)``; an int is square.
        scale (tuple[float, float]): Range of the crop's area share.
            Defaults to (0.08, 1.0).
        ratio (tuple[float, float]): Range of the aspect ratio w / h.
            Defaults to (3 / 4, 4 / 3).
        interpolation (str): For the image. Defaults to ``'bicubic'``.
        max_attempts (int): Defaults to 10.
    """

    def __init__(self,
                 size: Union[int, Sequence[int]],
                 scale: Tuple[float, float] = (0.08, 1.0),
                 ratio: Tuple[float, float] = (3 / 4, 4 / 3),
                 interpolation: str = 'bicubic',
                 max_attempts: int = 10) -> None:
        super().__init__()
        size = (size, size) if isinstance(size, int) else tuple(size)
        if len(size) != 2 or min(size) < 1:
            raise ValueError(f'size must be a positive int or (h, w), got '
                             f'{size!r}')
        if not 0 < scale[0] <= scale[1] <= 1:
            raise ValueError(f'scale must satisfy 0 < min <= max <= 1, got '
                             f'{scale!r}')
        if not 0 < ratio[0] <= ratio[1]:
            raise ValueError(f'ratio must satisfy 0 < min <= max, got '
                             f'{ratio!r}')
        self.size = (int(size[0]), int(size[1]))
        self.scale = (float(scale[0]), float(scale[1]))
        self.ratio = (float(ratio[0]), float(ratio[1]))
        self.interpolation = interpolation
        self.max_attempts = max_attempts

    def crop_box(self, height: int, width: int) -> Tuple[int, int, int, int]:
        """A random ``(x1, y1, x2, y2)`` box of an image of this size."""
        area = height * width
        log_ratio = (math.log(self.ratio[0]), math.log(self.ratio[1]))
        for _ in range(self.max_attempts):
            target = area * np.random.uniform(*self.scale)
            aspect = math.exp(np.random.uniform(*log_ratio))
            w = int(round(math.sqrt(target * aspect)))
            h = int(round(math.sqrt(target / aspect)))
            if 0 < w <= width and 0 < h <= height:
                y = np.random.randint(0, height - h + 1)
                x = np.random.randint(0, width - w + 1)
                return x, y, x + w, y + h
        aspect = width / height
        if aspect < self.ratio[0]:
            w, h = width, int(round(width / self.ratio[0]))
        elif aspect > self.ratio[1]:
            w, h = int(round(height * self.ratio[1])), height
        else:
            w, h = width, height
        x, y = (width - w) // 2, (height - h) // 2
        return x, y, x + w, y + h

    def transform(self, results: dict) -> dict:
        """Crop a random box and resize it to ``size``."""
        img = results['img']
        x1, y1, x2, y2 = self.crop_box(*img.shape[:2])
        out = (self.size[1], self.size[0])  # mmcv takes (w, h)
        results['img'] = mmcv.imresize(img[y1:y2, x1:x2], out,
                                       interpolation=self.interpolation)
        for key in results.get('seg_fields', []):
            results[key] = mmcv.imresize(results[key][y1:y2, x1:x2], out,
                                         interpolation='nearest')
        results['img_shape'] = results['img'].shape[:2]
        results['crop_bbox'] = (x1, y1, x2, y2)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(size={self.size}, scale='
                f'{self.scale}, ratio={self.ratio}, interpolation='
                f'{self.interpolation!r})')
