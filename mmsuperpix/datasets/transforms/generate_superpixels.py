"""Compute superpixels inside the data pipeline."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.evaluation.classic_superpixels import CLASSIC_METHODS
from mmsuperpix.models.utils.superpixel_protocol import (
    check_segment_request, segment_count)
from mmsuperpix.registry import TRANSFORMS
from .superpixel_fields import store_superpixels

MODEL = 'model'


@TRANSFORMS.register_module()
class GenerateSuperpixels(BaseTransform):
    """Superpixels of ``results['img']`` (uint8 BGR) as it is now, i.e.
    after the geometric transforms placed before this one.

    ``method`` is a classic algorithm (``opencv_slic``, ``opencv_slico``,
    ``opencv_lsc``, ``opencv_seeds``, ``skimage_slic``,
    ``skimage_felzenszwalb``; see
    :mod:`mmsuperpix.evaluation.classic_superpixels`) or ``'model'``: a
    learned superpixel model (the shipped AINet unless ``config`` /
    ``checkpoint`` say otherwise), loaded once per data worker.

    Required Keys: img. Added Keys: superpixels (``(H, W)`` int32, id 255
    skipped), seg_fields.

    Args:
        method (str): See above. Defaults to ``'opencv_slic'``.
        n_segments (int, optional): Superpixels per image.
        segment_size (float, optional): Or the mean superpixel side in
            pixels (``n = H * W / segment_size ** 2``). Exactly one.
        config (str, optional): Superpixel model config (``method='model'``).
        checkpoint (str, optional): Its weights.
    """

    def __init__(self,
                 method: str = 'opencv_slic',
                 n_segments: Optional[int] = None,
                 segment_size: Optional[float] = None,
                 config: Optional[str] = None,
                 checkpoint: Optional[str] = None) -> None:
        if method != MODEL and method not in CLASSIC_METHODS:
            raise ValueError(f'unknown superpixel method {method!r}; use '
                             f"'model' or one of {sorted(CLASSIC_METHODS)}")
        check_segment_request(n_segments, segment_size)
        if method != MODEL and (config or checkpoint):
            raise ValueError("config/checkpoint are for method='model'")
        self.method, self.n_segments = method, n_segments
        self.segment_size = segment_size
        self.config, self.checkpoint = config, checkpoint
        self._model = None

    def _segment(self, image: np.ndarray, count: int) -> np.ndarray:
        if self.method != MODEL:
            return CLASSIC_METHODS[self.method](image, count)
        from mmsuperpix.apis import init_superpixel_model, superpixelize
        if self._model is None:
            self._model = init_superpixel_model(self.config, self.checkpoint)
        return superpixelize(self._model, image, count)

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
        return store_superpixels(results, self._segment(image, count))

    def __repr__(self) -> str:
        size = f'n_segments={self.n_segments}' if self.n_segments else \
            f'segment_size={self.segment_size}'
        return f'{type(self).__name__}(method={self.method!r}, {size})'
