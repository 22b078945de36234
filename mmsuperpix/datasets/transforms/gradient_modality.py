"""CDS's auxiliary modality: a signed Sobel map of the image (Xu et al.,
AAAI 2024)."""
from typing import Sequence

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.registry import TRANSFORMS

#: Sobel-y plus Sobel-x (correlation kernels, as ``F.conv2d``): CDS sums
#: the two signed responses rather than taking the magnitude.
SOBEL_SUM = np.array([[-2, -2, 0], [-2, 0, 2], [0, 2, 2]], np.float32)


@TRANSFORMS.register_module()
class GradientModality(BaseTransform):
    """The gradient map CDS trains its auxiliary branch on.

    The image is normalised as the network input (``(img - mean) / std``
    per channel), its channels are summed, and the signed sum of the
    Sobel-x and Sobel-y responses (zero padding) is repeated to 3 channels:
    CDS's public code (``_get_sobel``). Place it after the geometric
    transforms (crops, flips), which do not move ``aux_img``; training
    only. Another modality is another transform that writes ``aux_img``.

    Required Keys:

    - img (np.ndarray, (H, W, 3))

    Added Keys:

    - aux_img (np.ndarray, (H, W, 3) float32)

    Args:
        mean (Sequence[float]): Per-channel mean of the input
            normalisation, in the image's channel order. Defaults to the
            BSDS500 configs' (CDS's 0.411, 0.432, 0.45 of 255).
        std (Sequence[float]): Per-channel std. Defaults to 255.
    """

    def __init__(self,
                 mean: Sequence[float] = (104.8, 110.2, 114.8),
                 std: Sequence[float] = (255.0, 255.0, 255.0)) -> None:
        if len(mean) != 3 or len(std) != 3 or min(std) <= 0:
            raise ValueError(f'mean and std need 3 values each, std > 0; '
                             f'got {mean!r} and {std!r}')
        self.mean = np.asarray(mean, np.float32)
        self.std = np.asarray(std, np.float32)

    def transform(self, results: dict) -> dict:
        img = results['img']
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError(f'GradientModality needs an (H, W, 3) image, '
                             f'got shape {img.shape}')
        summed = ((img.astype(np.float32) - self.mean) / self.std).sum(2)
        gradient = cv2.filter2D(summed, cv2.CV_32F, SOBEL_SUM,
                                borderType=cv2.BORDER_CONSTANT)
        results['aux_img'] = np.repeat(gradient[..., None], 3, axis=2)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(mean={self.mean.tolist()}, '
                f'std={self.std.tolist()})')
