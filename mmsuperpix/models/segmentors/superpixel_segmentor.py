"""A segmentor that learns and predicts SCN-style superpixels in mmseg."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmengine.structures import PixelData
from mmseg.models.segmentors import BaseSegmentor
from mmseg.utils import ConfigType, OptConfigType, OptMultiConfig, SampleList

from mmsuperpix.registry import MODELS
from mmsuperpix.superpixels import (check_precision, cluster_cell_size,
                                    cluster_superpixel_batch,
                                    precision_context,
                                    predict_superpixel_batch)
from ..utils.input_images import preprocessor_rgb

@MODELS.register_module()
class SuperpixelSegmentor(BaseSegmentor):
    """Train a grid-association superpixel network (SCN, AINet) with mmseg's
    runner and predict superpixels with SCN's protocol.

    Training: ``backbone -> decode_head -> association (N, 9, H, W)``; the
    reconstruction loss compares it with ``gt_sem_seg`` (one annotation per
    sample); an optional boundary loss on the backbone's pixel
    ``embedding`` starts at ``train_cfg['boundary_loss_start_iter']`` (the
    fine-tuning stage of AINet).

    Prediction: for every image, :meth:`predict_superpixel_batch` with
    ``test_cfg['n_segments']``; the labels (original image size) are stored
    as ``pred_sp_seg`` ``(1, H, W)`` in the data sample.

    Args:
        backbone (dict): e.g. ``SCNEncoderDecoder`` or
            ``AINetEncoderDecoder``; must return a dict with ``features``
            and ``embedding``.
        decode_head (dict): The association head: ``AssociationHead``
            (SCN, AINet: a 3x3 conv on the backbone's 16-px cells) or
            ``DifferentiableSLICHead`` (SSN's soft k-means on learned +
            Lab + XY features; predicts by clustering the full-resolution
            image at any count, without resizing it). Heads are called
            ``head(backbone outputs, RGB images, cell_size)``.
        loss_reconstruction (dict): Defaults to SCN's loss.
        loss_boundary (dict, optional): e.g. ``BoundaryPerceivingLoss``.
        cell_size (int): Grid cell side. Defaults to 16.
        train_cfg (dict, optional): ``boundary_loss_start_iter`` (default
            0) and ``mixed_precision`` (None, ``'bfloat16'`` or
            ``'float16'``: run the network under ``torch.autocast`` while
            training, on any device; the losses stay in float32. mmengine's
            ``--amp`` wrapper refuses CPUs).
        test_cfg (dict, optional): ``n_segments`` (default 600),
            ``connectivity`` (default True) and ``precision``
            (``'float32'``; ``'bfloat16'``: the network runs under
            autocast, about twice as fast on CPUs with AVX512-BF16/AMX,
            labels may differ at a few pixels; ``'auto'``: bfloat16 on such
            CPUs, float32 elsewhere).
        channels_last (bool): Keep weights and inputs in channels-last
            memory format (faster convolutions on CPUs and recent GPUs).
            Defaults to True.
        data_preprocessor (dict, optional): mmseg's ``SegDataPreProcessor``.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 backbone: ConfigType,
                 decode_head: ConfigType = dict(type='AssociationHead'),
                 loss_reconstruction: ConfigType = dict(
                     type='SuperpixelReconstructionLoss'),
                 loss_boundary: OptConfigType = None,
                 cell_size: int = 16,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 channels_last: bool = True,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.decode_head = MODELS.build(decode_head)
        self.loss_reconstruction = MODELS.build(loss_reconstruction)
        self.loss_boundary = MODELS.build(
            loss_boundary) if loss_boundary else None
        self.cell_size = cell_size
        self.train_cfg = {
            'boundary_loss_start_iter': 0,
            'mixed_precision': None,
            **(train_cfg or {})
        }
        self.test_cfg = {
            'n_segments': 600,
            'connectivity': True,
            'precision': 'float32',
            **(test_cfg or {})
        }
        check_precision(self.train_cfg['mixed_precision'],
                        'train_cfg.mixed_precision')
        check_precision(self.test_cfg['precision'], 'test_cfg.precision')
        self.memory_format = torch.channels_last if channels_last else \
            torch.contiguous_format
        self.to(memory_format=self.memory_format)

    def extract_feat(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Backbone outputs (``features``, ``embedding``, ...)."""
        return self.backbone(inputs.contiguous(memory_format=self.memory_format))

    def _association(self, inputs: torch.Tensor,
                     feats: Dict[str, torch.Tensor],
                     cell_size: Optional[int] = None) -> torch.Tensor:
        """The head's association of the backbone outputs ``feats`` of the
        normalised ``inputs`` (heads that cluster also read the images)."""
        return self.decode_head(
            feats, preprocessor_rgb(self.data_preprocessor, inputs),
            cell_size or self.cell_size)

    def encode_decode(self, inputs: torch.Tensor,
                      batch_img_metas: Optional[List[dict]] = None
                      ) -> torch.Tensor:
        """Association ``(N, 9, H, W)`` of normalised images whose size is a
        multiple of the cell size."""
        return self._association(inputs, self.extract_feat(inputs))

    def _cluster_full_resolution(self, inputs: torch.Tensor,
                                 cell_size: int) -> torch.Tensor:
        """Association on ``cell_size`` cells of normalised images of any
        size: the backbone sees them padded (replicated) to multiples of
        its stride, the head the full-resolution outputs, cropped back."""
        height, width = inputs.shape[-2:]
        stride = self.cell_size
        pad = (0, -width % stride, 0, -height % stride)
        padded = F.pad(inputs, pad, mode='replicate') if any(pad) else inputs
        feats = {
            key: value[..., :height, :width]
            for key, value in self.extract_feat(padded).items()
            if value.shape[-2:] == padded.shape[-2:]
        }
        return self._association(inputs, feats, cell_size)

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[SampleList] = None) -> torch.Tensor:
        """``mode='tensor'``: the association."""
        return self.encode_decode(inputs)

    def _boundary_loss_active(self) -> bool:
        if self.loss_boundary is None:
            return False
        iteration = MessageHub.get_current_instance().get_info('iter', 0)
        return iteration >= self.train_cfg['boundary_loss_start_iter']

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """Reconstruction loss, plus the boundary loss once it is active."""
        if not data_samples:
            raise ValueError('empty batch: no data samples to train on')
        labels = torch.stack(
            [sample.gt_sem_seg.data[0] for sample in data_samples]).long()
        with precision_context(self.train_cfg['mixed_precision'],
                               inputs.device.type):
            feats = self.extract_feat(inputs)
            assoc = self._association(inputs, feats)
        losses = self.loss_reconstruction(assoc.float(), labels)
        if self._boundary_loss_active():
            losses['loss_bpl'] = self.loss_boundary(
                feats['embedding'].float(), labels)
        return losses

    def predict_superpixel_batch(
            self,
            images: torch.Tensor,
            n_segments: Optional[int] = None,
            out_shape: Optional[Tuple[int, int]] = None,
            connectivity: Optional[bool] = None
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Superpixels of normalised images ``(N, 3, H, W)`` with the grid
        protocol (:func:`~mmsuperpix.superpixels.predict_superpixel_batch`),
        in ``test_cfg['precision']``: labels ``(N, H0, W0)`` int64 and the
        association ``(N, 9, h, w)``. None arguments take ``test_cfg``'s
        ``n_segments`` / ``connectivity`` and the input size."""
        if connectivity is None:
            connectivity = self.test_cfg['connectivity']
        n_segments = n_segments or self.test_cfg['n_segments']
        with precision_context(self.test_cfg['precision'],
                               images.device.type):
            if self.decode_head.any_cell_size:
                return cluster_superpixel_batch(
                    self._cluster_full_resolution, images, n_segments,
                    out_shape, connectivity)
            return predict_superpixel_batch(
                self.encode_decode, images, n_segments, self.cell_size,
                out_shape, connectivity)

    def association_cell_size(self, height: int, width: int,
                              n_segments: int) -> int:
        """Cell side of :meth:`predict_superpixel_batch`'s association for
        ``(H, W)`` images: the clustering cell of a head that clusters at
        any cell size, else the network's."""
        if self.decode_head.any_cell_size:
            return cluster_cell_size(height, width, n_segments)
        return self.cell_size

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None) -> SampleList:
        """Store ``pred_sp_seg`` ``(1, H, W)`` in every data sample."""
        if data_samples is None:
            raise ValueError(
                'predict() needs data samples carrying img_shape/ori_shape')
        for i, sample in enumerate(data_samples):
            height, width = sample.img_shape
            labels, _ = self.predict_superpixel_batch(
                inputs[i:i + 1, :, :height, :width],
                out_shape=sample.ori_shape)
            sample.pred_sp_seg = PixelData(data=labels.to(torch.int32))
        return data_samples
