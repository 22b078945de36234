"""Compute superpixels inside the data pipeline."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.registry import TRANSFORMS
from mmsuperpix.superpixels import (MethodSpec, build_superpixel_method,
                                    check_segment_request, segment_count,
                                    store_superpixels)


@TRANSFORMS.register_module()
class GenerateSuperpixels(BaseTransform):
    """Superpixels of ``results['img']`` (uint8 BGR) as it is now, i.e.
    after the geometric transforms placed before this one.

    ``method`` is any superpixel method, by name or config (see
    :func:`~mmsuperpix.superpixels.build_superpixel_method`): a classic
    algorithm (``'opencv_slic'``, ``'opencv_slico'``, ``'opencv_lsc'``,
    ``'opencv_seeds'``, ``'skimage_slic'``, ``'skimage_felzenszwalb'``),
    ``'default'`` (the shipped learned model) or e.g.
    ``dict(type='LearnedSuperpixels', config=..., checkpoint=...)``. A
    learned model is loaded at its first use, once per data worker.

    Required Keys: img. Added Keys: superpixels (``(H, W)`` int32, id 255
    skipped), seg_fields.

    Args:
        method (str | dict): See above. Defaults to ``'opencv_slic'``.
        n_segments (int, optional): Superpixels per image.
        segment_size (float, optional): Or the mean superpixel side in
            pixels (``n = H * W / segment_size ** 2``). Exactly one.
    """

    def __init__(self,
                 method: MethodSpec = 'opencv_slic',
                 n_segments: Optional[int] = None,
                 segment_size: Optional[float] = None) -> None:
        check_segment_request(n_segments, segment_size)
        self.method = build_superpixel_method(method)
        self.n_segments, self.segment_size = n_segments, segment_size

    def transform(self, results: dict) -> dict:
        """Add ``results['superpixels']`` for ``results['img']``."""
        image = results['img']
        if not isinstance(image, np.ndarray) or image.ndim != 3 or \
                image.shape[2] != 3 or image.dtype != np.uint8:
            raise ValueError(
                'GenerateSuperpixels needs an (H, W, 3) uint8 BGR image; put '
                'it before transforms that change the dtype, got '
                f'{getattr(image, "shape", None)} '
                f'{getattr(image, "dtype", type(image).__name__)}')
        count = segment_count(*image.shape[:2], self.n_segments,
                              self.segment_size)
        return store_superpixels(results, self.method(image, count))

    def __repr__(self) -> str:
        size = f'n_segments={self.n_segments}' if self.n_segments else \
            f'segment_size={self.segment_size}'
        return f'{type(self).__name__}(method={self.method!r}, {size})'
