"""Resize by a random factor of the image's own size (UniMatch / DDFP)."""
from typing import Tuple

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomRelativeResize(BaseTransform):
    """Scale image and label maps by ``r ~ U(ratio_range)``, keeping the
    aspect ratio.

    mmcv's ``RandomResize`` scales toward a fixed target size; the
    semi-supervised VOC recipes of UniMatch and DDFP instead draw the new
    long side between 0.5x and 2x of the image's own (``resize(img, mask,
    (0.5, 2.0))``). Images use bilinear interpolation, every key in
    ``seg_fields`` nearest.

    Required Keys: ``img``; optional ``seg_fields`` maps.
    Modified Keys: ``img``, ``img_shape``, the ``seg_fields`` maps.
    Added Keys: ``scale_factor`` (w, h).

    Args:
        ratio_range (tuple[float, float]): Defaults to (0.5, 2.0).
    """

    def __init__(self, ratio_range: Tuple[float, float] = (0.5, 2.0)) -> None:
        super().__init__()
        low, high = ratio_range
        if not 0 < low <= high:
            raise ValueError(f'ratio_range must satisfy 0 < low <= high, got '
                             f'{ratio_range}')
        self.ratio_range = (low, high)

    def transform(self, results: dict) -> dict:
        """Resize image and label maps by one random ratio."""
        ratio = np.random.uniform(*self.ratio_range)
        height, width = results['img'].shape[:2]
        size = (max(1, int(round(width * ratio))),
                max(1, int(round(height * ratio))))
        results['img'] = mmcv.imresize(results['img'], size,
                                       interpolation='bilinear')
        for key in results.get('seg_fields', []):
            results[key] = mmcv.imresize(results[key], size,
                                         interpolation='nearest')
        results['img_shape'] = results['img'].shape[:2]
        results['scale_factor'] = (size[0] / width, size[1] / height)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(ratio_range={self.ratio_range})'
