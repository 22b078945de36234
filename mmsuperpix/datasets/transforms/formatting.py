"""Pack superpixel samples: PackSegInputs plus all annotations/superpixels."""
from typing import Sequence

import numpy as np
from mmcv.transforms import to_tensor
from mmengine.structures import PixelData
from mmseg.datasets.transforms import PackSegInputs

from mmsuperpix.registry import TRANSFORMS
from mmsuperpix.superpixels import NO_SUPERPIXEL, PAD_ID


def _channels_first(array: np.ndarray) -> np.ndarray:
    """(H, W, C) or (H, W) -> contiguous (C, H, W) int64."""
    if array.ndim == 2:  # cv2 drops a single channel when resizing
        array = array[..., None]
    return np.ascontiguousarray(array.transpose(2, 0, 1)).astype(np.int64)


def _pad_to(labels: np.ndarray, size) -> np.ndarray:
    """Pad (1, h, w) labels at the bottom/right to ``size`` with -1."""
    height, width = labels.shape[-2:]
    if (height, width) == tuple(size):
        return labels
    if height > size[0] or width > size[1]:
        raise ValueError(
            f'the superpixel map is {(height, width)} but the image is '
            f'{tuple(size)}: produce superpixels after the transforms that '
            'resize or crop the image')
    return np.pad(labels, ((0, 0), (0, size[0] - height),
                           (0, size[1] - width)), constant_values=NO_SUPERPIXEL)


@TRANSFORMS.register_module()
class PackSuperpixelInputs(PackSegInputs):
    """:class:`mmseg.datasets.transforms.PackSegInputs` for superpixels.

    Packs ``inputs`` and ``data_samples`` like ``PackSegInputs``
    (``gt_sem_seg`` from ``gt_seg_map``, (1, H, W) int64) and also:

    - ``results['gt_annotations']`` (H, W, A) -> ``data_sample.
      gt_annotations = PixelData(data=(A, H, W) int64 tensor)``; an (H, W)
      array (A = 1 after a cv2 resize) gives (1, H, W);
    - ``results['superpixels']`` (H, W) -> ``data_sample.gt_superpixels =
      PixelData(data=(1, H, W) int64 tensor)``, with the pad id 255 (what
      ``Pad`` wrote; real ids skip it) turned into -1 (no superpixel).
      mmcv's ``Pad`` pads only ``gt_seg_map``, so a map smaller than the
      padded image is padded here at the bottom/right with -1, as ``Pad``
      pads the image;
    - ``results['aux_img']`` (H, W, C) float (an auxiliary modality such as
      :class:`GradientModality`'s) -> ``data_sample.aux_img = PixelData(
      data=(C, H, W) float32 tensor)``.

    Required Keys:

    - img, gt_seg_map (optional), gt_annotations (optional),
      superpixels (optional), aux_img (optional), the ``meta_keys``
      present

    Added Keys:

    - inputs (torch.Tensor, (C, H, W))
    - data_samples (SegDataSample)

    Args:
        meta_keys (Sequence[str]): Keys packed into the data sample's
            metainfo. Defaults to those of ``PackSegInputs`` plus
            ``gt_path``, ``annotation_index`` and ``num_annotations``.
    """

    def __init__(self,
                 meta_keys: Sequence[str] = (
                     'img_path', 'seg_map_path', 'gt_path', 'ori_shape',
                     'img_shape', 'pad_shape', 'scale_factor', 'flip',
                     'flip_direction', 'reduce_zero_label', 'annotation_index',
                     'num_annotations')) -> None:
        super().__init__(meta_keys=meta_keys)

    def transform(self, results: dict) -> dict:
        """Pack the inputs and all ground truths of one sample.

        Args:
            results (dict): Result dict from the data pipeline.

        Returns:
            dict: ``inputs`` (torch.Tensor) and ``data_samples``
            (:class:`mmseg.structures.SegDataSample`).
        """
        packed = super().transform(results)
        sample = packed['data_samples']
        if results.get('gt_annotations') is not None:
            sample.gt_annotations = PixelData(
                data=to_tensor(_channels_first(results['gt_annotations'])))
        if results.get('superpixels') is not None:
            superpixels = results['superpixels']
            if superpixels.ndim == 3 and superpixels.shape[2] != 1:
                raise ValueError(
                    "results['superpixels'] must be one (H, W) label map, got "
                    f'shape {superpixels.shape}.')
            superpixels = _channels_first(superpixels)
            superpixels[superpixels == PAD_ID] = NO_SUPERPIXEL
            superpixels = _pad_to(superpixels, results['img'].shape[:2])
            sample.gt_superpixels = PixelData(data=to_tensor(superpixels))
        if results.get('aux_img') is not None:
            aux = np.ascontiguousarray(
                results['aux_img'].transpose(2, 0, 1), np.float32)
            sample.aux_img = PixelData(data=to_tensor(aux))
        return packed
