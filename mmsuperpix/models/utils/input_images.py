"""The images behind a normalised batch."""
import torch
from mmseg.models.data_preprocessor import SegDataPreProcessor


def preprocessor_rgb(preprocessor: SegDataPreProcessor,
                     inputs: torch.Tensor) -> torch.Tensor:
    """Undo ``preprocessor``'s normalisation and channel order.

    Args:
        preprocessor (SegDataPreProcessor): What made ``inputs``.
        inputs (Tensor): Its output ``(N, 3, H, W)``.

    Returns:
        Tensor: ``(N, 3, H, W)`` RGB in 0..255.
    """
    images = inputs * preprocessor.std + preprocessor.mean if \
        preprocessor._enable_normalize else inputs
    return images if preprocessor.channel_conversion else images.flip(1)
