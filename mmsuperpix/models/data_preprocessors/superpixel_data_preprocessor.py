"""mmseg's SegDataPreProcessor that also batches superpixel maps."""
from typing import Any, Dict, Optional

import torch
import torch.nn.functional as F
from mmseg.models.data_preprocessor import SegDataPreProcessor
from mmseg.utils import SampleList

from mmsuperpix.registry import MODELS
from mmsuperpix.superpixels import (ASSOCIATION_CELL_KEY, ASSOCIATION_KEY,
                                    LABELS_KEY, NO_SUPERPIXEL, MethodSpec,
                                    build_superpixel_method,
                                    check_segment_request, segment_count)
from ..utils.input_images import preprocessor_rgb


@MODELS.register_module()
class SuperpixelDataPreProcessor(SegDataPreProcessor):
    """``SegDataPreProcessor`` plus the superpixels of every sample, aligned
    with the padded batch.

    ``PackSegInputs``/``stack_batch`` pad only ``gt_sem_seg``; this also
    pads each sample's ``gt_superpixels`` (from ``PackSuperpixelInputs``)
    at the bottom/right like the image, with -1 (no superpixel), or, with
    ``superpixel_method``, computes them from the batch input itself with
    any superpixel method (a frozen network, e.g. ``'default'``, or a
    classic algorithm such as ``'opencv_slic'``). The result goes to each
    sample's metainfo (``'superpixels'`` = ``(H, W)`` int64; with
    ``association=True`` also ``'superpixel_association'`` =
    ``(9, h, w)`` and its cell side ``'superpixel_cell_size'``), where ``SuperpixelPoolingHead`` reads it in training
    and in ``predict``.

    Args:
        superpixel_method (str | dict, optional): A superpixel method name
            or config (see ``build_superpixel_method``); None: the
            superpixels come from the data pipeline.
        n_segments (int, optional): Superpixels per image, with
            ``superpixel_method``.
        segment_size (float, optional): Or the mean superpixel side in
            pixels: ``n_segments = H * W / segment_size ** 2`` of the batch
            input (so crops and whole test images get superpixels of the
            same size). Exactly one of the two with ``superpixel_method``.
        association (bool): Also keep the method's 9-neighbour association
            (for ``mode='soft'`` pooling): needs a method that has one.
        **kwargs: ``SegDataPreProcessor`` arguments.
    """

    def __init__(self,
                 superpixel_method: Optional[MethodSpec] = None,
                 n_segments: Optional[int] = None,
                 segment_size: Optional[float] = None,
                 association: bool = False,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.superpixel_method = None
        if superpixel_method is not None:
            check_segment_request(n_segments, segment_size)
            self.superpixel_method = build_superpixel_method(
                superpixel_method)
        elif n_segments is not None or segment_size is not None:
            raise ValueError('n_segments/segment_size need a '
                             'superpixel_method (e.g. \'default\')')
        if association and not getattr(self.superpixel_method,
                                       'has_association', False):
            raise ValueError(
                'association=True needs a superpixel_method with a soft '
                f'association (a superpixel network such as \'default\'), '
                f'got {self.superpixel_method!r}')
        self.n_segments, self.segment_size = n_segments, segment_size
        self.association = association

    def forward(self, data: dict, training: bool = False) -> Dict[str, Any]:
        """Normalise, pad and stack like ``SegDataPreProcessor``, then
        attach the superpixels (see the class docstring)."""
        out = super().forward(data, training)
        inputs, samples = out['inputs'], out.get('data_samples')
        if samples is None:
            return out
        if self.superpixel_method is not None:
            count = segment_count(*inputs.shape[-2:], self.n_segments,
                                  self.segment_size)
            labels, assoc = self.superpixel_method.segment_batch(
                preprocessor_rgb(self, inputs), count)
            for sample, sp in zip(samples, labels):
                height, width = self._image_size(sample)
                sp[height:], sp[:, width:] = NO_SUPERPIXEL, NO_SUPERPIXEL
            cell = self.superpixel_method.association_cell_size(
                *inputs.shape[-2:], count) if self.association else None
            extra = [{ASSOCIATION_KEY: a, ASSOCIATION_CELL_KEY: cell}
                     for a in assoc] if self.association else [
                         {} for _ in samples]
        else:
            labels = self._pad_packed(samples, inputs.shape[-2:])
            extra = [{} for _ in samples]
        for sample, sp, more in zip(samples, labels, extra):
            sample.set_metainfo({LABELS_KEY: sp, **more})
        return out

    @staticmethod
    def _image_size(sample) -> tuple:
        return tuple(sample.metainfo['img_shape'][:2])

    def _pad_packed(self, samples: SampleList, size) -> torch.Tensor:
        """Stack the samples' ``gt_superpixels`` padded to ``size``."""
        maps = []
        for sample in samples:
            if 'gt_superpixels' not in sample:
                raise KeyError(
                    f"sample {sample.metainfo.get('img_path', '?')} has no "
                    'superpixels: add GenerateSuperpixels or LoadSuperpixels '
                    'before PackSuperpixelInputs in the pipeline, or set '
                    'superpixel_method in SuperpixelDataPreProcessor')
            sp = sample.gt_superpixels.data[0].to(self.device)
            image = self._image_size(sample)
            if tuple(sp.shape) != image:
                raise ValueError(
                    f"the superpixel map of {sample.metainfo.get('img_path')}"
                    f' is {tuple(sp.shape)} but its image is {image}: make '
                    'or load superpixels after the resizing/cropping '
                    "transforms, or list 'superpixels' in seg_fields")
            maps.append(F.pad(sp, (0, size[1] - sp.shape[1], 0,
                                   size[0] - sp.shape[0]),
                              value=NO_SUPERPIXEL))
        return torch.stack(maps).long()
