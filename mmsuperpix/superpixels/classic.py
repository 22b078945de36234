"""Classic superpixel algorithms behind the superpixel-method interface."""
import numpy as np

from mmsuperpix.registry import TASK_UTILS
from .base import SuperpixelMethod
from .classic_algorithms import CLASSIC_METHODS, check_ximgproc


@TASK_UTILS.register_module()
class ClassicSuperpixels(SuperpixelMethod):
    """One of the classic algorithms of
    :mod:`~mmsuperpix.superpixels.classic_algorithms` (OpenCV SLIC, SLICO,
    LSC, SEEDS; scikit-image SLIC, Felzenszwalb), driven by a count.

    Built by name as well: ``build_superpixel_method('opencv_slic')``.

    Args:
        algorithm (str): A key of ``CLASSIC_METHODS``: ``opencv_slic``,
            ``opencv_slico``, ``opencv_lsc``, ``opencv_seeds``,
            ``skimage_slic`` or ``skimage_felzenszwalb``.
    """

    def __init__(self, algorithm: str = 'opencv_slic') -> None:
        if algorithm not in CLASSIC_METHODS:
            raise ValueError(f'unknown classic superpixel algorithm '
                             f'{algorithm!r}; choose one of '
                             f'{sorted(CLASSIC_METHODS)}')
        if algorithm.startswith('opencv_'):
            check_ximgproc()
        self.algorithm = algorithm

    def segment(self, image: np.ndarray, n_segments: int) -> np.ndarray:
        """Labels ``(H, W)`` int32 ``0..K-1`` of a uint8 BGR image."""
        return CLASSIC_METHODS[self.algorithm](image, n_segments)

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.algorithm!r})'
