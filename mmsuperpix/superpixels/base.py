"""The one interface every superpixel method implements."""
from abc import ABCMeta, abstractmethod
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch

from .conventions import check_n_segments


def check_bgr_image(image) -> np.ndarray:
    """Check that ``image`` is an (H, W, 3) uint8 array and return it.

    Args:
        image (np.ndarray): Candidate image.

    Returns:
        np.ndarray: The same image, C-contiguous.
    """
    if not isinstance(image, np.ndarray):
        raise TypeError(f'image must be a numpy array, got '
                        f'{type(image).__name__}; read files with '
                        'cv2.imread(path)')
    if image.ndim != 3 or image.shape[2] != 3 or 0 in image.shape:
        raise ValueError(
            f'image must be a non-empty (H, W, 3) BGR array, got shape '
            f'{image.shape}; convert grey images with cv2.cvtColor(img, '
            'cv2.COLOR_GRAY2BGR) and drop alpha channels')
    if image.dtype != np.uint8:
        raise TypeError(f'image must be uint8, got {image.dtype}; convert '
                        'floats in [0, 1] with (img * 255).round().astype('
                        'np.uint8)')
    return np.ascontiguousarray(image)


class SuperpixelMethod(metaclass=ABCMeta):
    """A superpixel method: classic, a learned grid network, or a per-image
    optimiser. Every consumer (``superpixelize``, ``GenerateSuperpixels``,
    ``SuperpixelDataPreProcessor``, ``tools/eval_superpixels.py``, the
    benchmarks) takes any method through this interface, built by name or
    config with :func:`~mmsuperpix.superpixels.build_superpixel_method`.

    Contract: ``method(image, n_segments)`` with an ``(H, W, 3)`` uint8 BGR
    image returns ``(H, W)`` int32 labels ``0..K-1``, ``K`` close to
    ``n_segments`` (capped at ``H * W``); learned methods make each label
    one 4-connected region, classic ones keep their algorithm's rule.
    :meth:`segment_batch` is the batched tensor path; methods with a soft
    9-neighbour association (:attr:`has_association`) also return it.

    :meth:`segment_images` takes a list of images; methods that process
    several at once (per-image optimisers) say how many with
    :attr:`batch_size`, and consumers pass lists that long.

    Subclasses implement :meth:`segment`, and may override
    :meth:`segment_batch` and :meth:`segment_group` (the defaults run
    :meth:`segment` per image).
    """
    #: Whether :meth:`segment_batch` returns a soft association.
    has_association = False
    #: Images a consumer should hand to :meth:`segment_images` at once.
    batch_size = 1

    def load(self) -> 'SuperpixelMethod':
        """Load what the method needs (a network's weights) now rather than
        at the first image, so that bad files fail early; returns self."""
        return self

    def __call__(self, image: np.ndarray, n_segments: int) -> np.ndarray:
        """Superpixels of one image (see the class docs); checks both
        arguments with clear errors."""
        image = check_bgr_image(image)
        height, width = image.shape[:2]
        count = min(check_n_segments(n_segments), height * width)
        return self.segment(image, count).astype(np.int32, copy=False)

    def segment_images(self, images: Sequence[np.ndarray],
                       n_segments: int) -> List[np.ndarray]:
        """Superpixels of several ``(H, W, 3)`` uint8 BGR images (checked as
        by :meth:`__call__`): a list of ``(H, W)`` int32 label maps."""
        images = [check_bgr_image(image) for image in images]
        count = check_n_segments(n_segments)
        return [labels.astype(np.int32, copy=False)
                for labels in self.segment_group(images, count)]

    def segment_group(self, images: Sequence[np.ndarray],
                      n_segments: int) -> List[np.ndarray]:
        """Labels of checked images (:meth:`segment_images`); each count is
        capped at its image's pixels by the implementation."""
        return [self.segment(image, min(n_segments, image.shape[0] *
                                        image.shape[1]))
                for image in images]

    @abstractmethod
    def segment(self, image: np.ndarray, n_segments: int) -> np.ndarray:
        """Labels ``(H, W)`` of a checked uint8 BGR ``image (H, W, 3)`` for
        ``1 <= n_segments <= H * W``."""

    def association_cell_size(self, height: int, width: int,
                              n_segments: int) -> int:
        """Side of the grid cells of :meth:`segment_batch`'s association
        for ``(H, W)`` images and ``n_segments`` (methods with
        :attr:`has_association`)."""
        raise NotImplementedError(
            f'{type(self).__name__} has no soft association')

    def segment_batch(self, rgb: torch.Tensor, n_segments: int
                      ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Superpixels of a batch.

        Args:
            rgb (Tensor): ``(N, 3, H, W)`` float RGB images in 0..255.
            n_segments (int): Superpixels per image.

        Returns:
            tuple: labels ``(N, H, W)`` int64 on ``rgb``'s device and the
            association ``(N, 9, h, w)`` float32, or None for a method
            without one.
        """
        images = rgb.detach().round().clamp(0, 255).to(torch.uint8)
        images = images.flip(1).permute(0, 2, 3, 1).cpu().numpy()
        labels = np.stack([self(image, n_segments) for image in images])
        return torch.from_numpy(labels).long().to(rgb.device), None
