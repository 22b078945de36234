"""How superpixel maps travel through a data pipeline.

``results['superpixels']`` is an ``(H, W)`` int32 map listed in
``results['seg_fields']``, so mmcv/mmseg geometric transforms (Resize,
RandomCrop, RandomFlip, Pad, ...) move it with the image (nearest
interpolation). Those transforms pad segmentation maps with 255, so 255 is
reserved: superpixel ids skip it and ``PackSuperpixelInputs`` turns it into
-1 (no superpixel).
"""
import numpy as np

KEY = 'superpixels'
PAD_ID = 255


def store_superpixels(results: dict, labels: np.ndarray) -> dict:
    """Put ``labels`` (H, W, ids >= 0) into ``results`` with 255 reserved."""
    labels = np.asarray(labels).astype(np.int32)
    if labels.size and labels.min() < 0:
        raise ValueError('superpixel ids must be >= 0')
    results[KEY] = labels + (labels >= PAD_ID)
    fields = results.setdefault('seg_fields', [])
    if KEY not in fields:
        fields.append(KEY)
    return results
