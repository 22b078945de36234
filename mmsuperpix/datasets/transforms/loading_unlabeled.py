"""The validity map of an unlabeled image, as its segmentation field."""
import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.fileio import get

from mmsuperpix.models.pseudo_labels import UNKNOWN_LABEL
from mmsuperpix.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadUnlabeledValidity(BaseTransform):
    """Give an unlabeled image a validity map as its ``gt_seg_map``.

    The map is 254 (``UNKNOWN_LABEL``: valid, label unknown) everywhere;
    listed in ``seg_fields`` it then goes through the geometric transforms
    (``RandomResize``, ``RandomCrop``, ``RandomFlip``) with the image, and
    ``Pad`` fills the added border with 255 (its segmentation pad value).
    After the geometric pipeline it is therefore 255 exactly where there is
    padding, and ``PackSegInputs`` packs it as ``gt_sem_seg``, which a
    semi-supervised segmentor reads to ignore padding in its pseudo-labels.

    With ``reference=True``, an image whose data info has a
    ``reference_seg_map_path`` (see ``VOCSplitDataset``) gets its true labels
    in the map instead (their 255, e.g. object borders, become 254), so
    they stay aligned through every transform. The segmentor uses them
    only to report the pseudo-labels' coverage and precision, never as
    training targets.

    Use it in place of ``LoadAnnotations`` in the unlabeled dataset's
    pipeline, after ``LoadImageFromFile``.

    Required Keys:

    - img (np.ndarray): (H, W, C) image.
    - reference_seg_map_path (str, optional)

    Modified Keys:

    - seg_fields (list[str]): ``'gt_seg_map'`` appended (created if absent).

    Added Keys:

    - gt_seg_map (np.ndarray): (H, W) uint8, 254 or reference labels.

    Args:
        reference (bool): Load reference labels when available. Defaults
            to False.
    """

    def __init__(self, reference: bool = False) -> None:
        self.reference = reference

    def transform(self, results: dict) -> dict:
        """Add the validity map.

        Args:
            results (dict): With ``img`` (H, W, C).

        Returns:
            dict: ``results`` with ``gt_seg_map`` (H, W) uint8 and
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
        validity = np.full((height, width), UNKNOWN_LABEL, np.uint8)
        path = results.get('reference_seg_map_path')
        if self.reference and path:
            labels = mmcv.imfrombytes(get(path), flag='unchanged',
                                      backend='pillow')
            if labels is None or labels.shape != (height, width):
                raise ValueError(
                    f'reference labels {path!r} are not one (H, W) label map '
                    f'of the image size {(height, width)}; fix or remove '
                    'the file')
            validity = np.where(labels >= UNKNOWN_LABEL, UNKNOWN_LABEL,
                                labels).astype(np.uint8)
        results['gt_seg_map'] = validity
        seg_fields = results.setdefault('seg_fields', [])
        if 'gt_seg_map' not in seg_fields:
            seg_fields.append('gt_seg_map')
        return results

