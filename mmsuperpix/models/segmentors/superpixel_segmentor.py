"""A segmentor that learns and predicts SCN-style superpixels in mmseg."""
from typing import Dict, List, Optional, Tuple

import torch
from mmengine.logging import MessageHub
from mmengine.structures import PixelData
from mmseg.models.segmentors import BaseSegmentor
from mmseg.utils import ConfigType, OptConfigType, OptMultiConfig, SampleList

from mmsuperpix.registry import MODELS
from mmsuperpix.superpixels import (check_precision, precision_context,
                                    predict_superpixel_batch)

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
        decode_head (dict): The association head.
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

    def encode_decode(self, inputs: torch.Tensor,
                      batch_img_metas: Optional[List[dict]] = None
                      ) -> torch.Tensor:
        """Association ``(N, 9, H, W)`` of normalised images whose size is a
        multiple of the cell size."""
        return self.decode_head(self.extract_feat(inputs)['features'])

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
            assoc = self.decode_head(feats['features'])
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
        with precision_context(self.test_cfg['precision'],
                               images.device.type):
            return predict_superpixel_batch(
                self.encode_decode, images,
                n_segments or self.test_cfg['n_segments'], self.cell_size,
                out_shape, connectivity)

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
