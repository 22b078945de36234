"""The validity map of an unlabeled image, as its segmentation field."""
import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadUnlabeledValidity(BaseTransform):
    """Give an unlabeled image an all-valid map as its ``gt_seg_map``.

    The map is 0 everywhere; listed in ``seg_fields`` it then goes through
    mmseg's geometric transforms (``RandomResize``, ``RandomCrop``,
    ``RandomFlip``) with the image, and ``Pad`` fills the added border with
    255 (its segmentation pad value). After the geometric pipeline it is
    therefore 0 where there is image and 255 where there is padding, and
    ``PackSegInputs`` packs it as ``gt_sem_seg``, which a semi-supervised
    segmentor reads to ignore padding in its pseudo-labels.

    Use it in place of ``LoadAnnotations`` in the unlabeled dataset's
    pipeline, after ``LoadImageFromFile``.

    Required Keys:

    - img (np.ndarray): (H, W, C) image.

    Modified Keys:

    - seg_fields (list[str]): ``'gt_seg_map'`` appended (created if absent).

    Added Keys:

    - gt_seg_map (np.ndarray): (H, W) uint8 zeros.
    """

    def transform(self, results: dict) -> dict:
        """Add the all-zero validity map.

        Args:
            results (dict): With ``img`` (H, W, C).

        Returns:
            dict: ``results`` with ``gt_seg_map`` (H, W) uint8 zeros and
            ``'gt_seg_map'`` in ``seg_fields``.
        """
        if 'img' not in results:
            raise KeyError('LoadUnlabeledValidity needs results["img"]; put '
                           'it after LoadImageFromFile.')
        if results.get('gt_seg_map') is not None:
            raise ValueError(
                'LoadUnlabeledValidity got a sample that already has a '
                'gt_seg_map (from LoadAnnotations?). Use it on unlabeled '
                'samples only, instead of LoadAnnotations, or drop '
                'LoadAnnotations from this pipeline.')
        height, width = results['img'].shape[:2]
        results['gt_seg_map'] = np.zeros((height, width), np.uint8)
        seg_fields = results.setdefault('seg_fields', [])
        if 'gt_seg_map' not in seg_fields:
            seg_fields.append('gt_seg_map')
        return results
