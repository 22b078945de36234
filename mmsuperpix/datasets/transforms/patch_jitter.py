"""AINet's patch-jitter augmentation (Wang et al., ICCV 2021)."""
from typing import Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PatchJitter(BaseTransform):
    """Patch shuffle followed by a random strip shift, on image and labels.

    With probability ``prob``:

    1. **Patch shuffle**: two different ``patch_size`` square patches (at
       any pixel position) exchange their image content and labels (a real
       swap: the public code's in-place version copies patch 2 over patch 1
       instead). With probability ``random_patch_prob`` the first patch is
       replaced by uniform noise carrying a new label instead.
    2. **Strip shift**: a ``patch_size``-thick horizontal or vertical strip
       of random length (at least ``patch_size``) moves by ``1..max_shift``
       pixels along itself: cyclically (half of the time), or filling the
       vacated end with uniform noise that gets a new label. A drawn shift of
       0 (probability ``1 / (max_shift + 1)``, as in the public code) leaves
       the strip alone.

    New labels are ``max(label) + 1``. Images smaller than two patches are
    left unchanged.

    Required Keys: ``img`` (H, W, C) uint8, ``gt_seg_map`` (H, W) integer.
    Modified Keys: ``img``, ``gt_seg_map``.

    Args:
        prob (float): Probability of jittering a sample. Defaults to 0.5.
        patch_size (int): Patch and strip thickness. Defaults to 16.
        random_patch_prob (float): Probability that the shuffle replaces a
            patch by noise instead of swapping. Defaults to 0.
        max_shift (int): Largest strip shift. Defaults to 16.
    """

    def __init__(self,
                 prob: float = 0.5,
                 patch_size: int = 16,
                 random_patch_prob: float = 0.0,
                 max_shift: int = 16) -> None:
        super().__init__()
        self.prob = prob
        self.patch_size = patch_size
        self.random_patch_prob = random_patch_prob
        self.max_shift = max_shift

    def _corner(self, size: int) -> int:
        """A random patch start: 0 .. (size // p - 1) * p, as AINet."""
        return np.random.randint(0, (size // self.patch_size - 1) *
                                 self.patch_size + 1)

    @staticmethod
    def _noise(shape: Tuple[int, ...], dtype) -> np.ndarray:
        return np.random.randint(0, 256, shape).astype(dtype)

    def _shuffle(self, img: np.ndarray, seg: np.ndarray) -> None:
        p = self.patch_size
        h, w = seg.shape
        y1, x1 = self._corner(h), self._corner(w)
        while True:
            y2, x2 = self._corner(h), self._corner(w)
            if (y1, x1) != (y2, x2):
                break
        first = (slice(y1, y1 + p), slice(x1, x1 + p))
        second = (slice(y2, y2 + p), slice(x2, x2 + p))
        if np.random.rand() < self.random_patch_prob:
            img[first] = self._noise(img[first].shape, img.dtype)
            seg[first] = seg.max() + 1
            return
        for array in (img, seg):
            patch = array[first].copy()
            array[first] = array[second]
            array[second] = patch

    def _shift(self, img: np.ndarray, seg: np.ndarray) -> None:
        shift = np.random.randint(0, self.max_shift + 1)
        if shift == 0:
            return
        p = self.patch_size
        horizontal = np.random.rand() > 0.5
        if not horizontal:  # work on the transposed views
            img, seg = img.swapaxes(0, 1), seg.swapaxes(0, 1)
        h, w = seg.shape
        row = self._corner(h)
        start = self._corner(w)
        end = np.random.randint(start + p, (w // p) * p + 1)
        strip = (slice(row, row + p), slice(start, end))
        mode = np.random.rand()
        if mode > 0.5:  # cyclic, forwards or backwards
            step = shift if mode > 0.75 else -shift
            img[strip] = np.roll(img[strip], step, axis=1)
            seg[strip] = np.roll(seg[strip], step, axis=1)
            return
        new_label = seg.max() + 1
        forward = mode < 0.25
        for array, fill in ((img, None), (seg, new_label)):
            moved = array[strip].copy()
            part = self._noise(moved[:, :shift].shape, array.dtype) \
                if fill is None else np.full_like(moved[:, :shift], fill)
            if forward:
                moved = np.concatenate([part, moved[:, :-shift]], 1)
            else:
                moved = np.concatenate([moved[:, shift:], part], 1)
            array[strip] = moved

    def transform(self, results: dict) -> dict:
        """Jitter ``img`` and ``gt_seg_map`` together."""
        img, seg = results['img'], results['gt_seg_map']
        if img.shape[:2] != seg.shape:
            raise ValueError(
                f'PatchJitter: image {img.shape[:2]} and label map '
                f'{seg.shape} differ in size; load or crop them together')
        if np.random.rand() >= self.prob or min(seg.shape) < \
                2 * self.patch_size:
            return results
        img, seg = img.copy(), seg.copy()
        self._shuffle(img, seg)
        self._shift(img, seg)
        results['img'], results['gt_seg_map'] = img, seg
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, patch_size='
                f'{self.patch_size}, random_patch_prob='
                f'{self.random_patch_prob}, max_shift={self.max_shift})')
