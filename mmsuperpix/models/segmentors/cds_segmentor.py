"""Content Disentangle Superpixel training (Xu et al., "Learning Invariant
Inter-pixel Correlations for Superpixel Generation", AAAI 2024)."""
from typing import Dict

import torch
from mmseg.utils import ConfigType, SampleList

from mmsuperpix.registry import MODELS
from mmsuperpix.superpixels import precision_context
from .superpixel_segmentor import SuperpixelSegmentor


@MODELS.register_module()
class CDSSegmentor(SuperpixelSegmentor):
    """A grid superpixel network trained with CDS's auxiliary modality.

    The backbone is the RGB branch (``CDSEncoderDecoder``: embedder,
    content selective gate, decoder); the auxiliary modality of each sample
    (``data_sample.aux_img``, e.g. from :class:`GradientModality`) goes
    through its own embedder (``aux_embedder``, not shared) and the
    backbone's gate and decoder (:meth:`CDSEncoderDecoder.disentangle`).
    The loss (all weights 1 in CDS):

    - ``loss_sem``/``loss_pos``: the reconstruction loss of the RGB
      association, and ``aux_loss_sem``/``aux_loss_pos`` of the auxiliary
      one (the same head);
    - ``loss_club``: the CLUB upper bound of the mutual information between
      the two style vectors (:class:`CLUBEstimator`, whose own optimiser
      fits it on the detached vectors after the main step through
      ``AuxiliaryEstimatorHook``);
    - ``loss_align``: the local-grid correlation alignment of the two
      contents (:class:`LocalGridCorrelationAlignmentLoss`).

    Prediction uses the RGB branch only, so the trained model exports to a
    plain ``SuperpixelSegmentor`` with the same backbone and head
    (``tools/model_converters/export_checkpoint.py`` drops
    ``aux_embedder`` and ``estimator``).

    Args:
        aux_embedder (dict): Embedder of the auxiliary modality. Defaults
            to ``CDSEmbedder``.
        estimator (dict): The mutual-information estimator. Defaults to
            ``CLUBEstimator``.
        loss_alignment (dict): Defaults to
            ``LocalGridCorrelationAlignmentLoss``.
        loss_club_weight (float): Weight of ``loss_club``. Defaults to 1.
        aux_loss_weight (float): Weight of the auxiliary reconstruction
            loss. Defaults to 1.
        **kwargs: ``SuperpixelSegmentor`` arguments.
    """

    def __init__(self,
                 aux_embedder: ConfigType = dict(type='CDSEmbedder'),
                 estimator: ConfigType = dict(type='CLUBEstimator'),
                 loss_alignment: ConfigType = dict(
                     type='LocalGridCorrelationAlignmentLoss'),
                 loss_club_weight: float = 1.0,
                 aux_loss_weight: float = 1.0,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if not hasattr(self.backbone, 'disentangle'):
            raise TypeError(
                f'CDSSegmentor needs a backbone with a content selective '
                f'gate (CDSEncoderDecoder), got {type(self.backbone).__name__}')
        self.aux_embedder = MODELS.build(aux_embedder)
        self.estimator = MODELS.build(estimator)
        self.loss_alignment = MODELS.build(loss_alignment)
        self.loss_club_weight = loss_club_weight
        self.aux_loss_weight = aux_loss_weight
        self.to(memory_format=self.memory_format)

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """The four CDS terms (see the class docs)."""
        if not data_samples:
            raise ValueError('empty batch: no data samples to train on')
        missing = [s.metainfo.get('img_path', '?') for s in data_samples
                   if 'aux_img' not in s]
        if missing:
            raise KeyError(
                f'{missing[0]} has no auxiliary modality: CDS trains on '
                "one; add dict(type='GradientModality') to train_pipeline "
                'after the geometric transforms (before packing)')
        labels = torch.stack(
            [sample.gt_sem_seg.data[0] for sample in data_samples]).long()
        aux = torch.stack([sample.aux_img.data for sample in data_samples]
                          ).to(inputs).contiguous(
                              memory_format=self.memory_format)
        with precision_context(self.train_cfg['mixed_precision'],
                               inputs.device.type):
            feats = self.extract_feat(inputs)
            aux_feats = self.backbone.disentangle(self.aux_embedder(aux))
            assoc = self._association(inputs, feats)
            aux_assoc = self._association(inputs, aux_feats)
        losses = self.loss_reconstruction(assoc.float(), labels)
        for name, value in self.loss_reconstruction(aux_assoc.float(),
                                                    labels).items():
            losses[f'aux_{name}'] = self.aux_loss_weight * value
        style, aux_style = feats['style'].float(), aux_feats['style'].float()
        losses['loss_club'] = self.loss_club_weight * self.estimator(
            style, aux_style)
        self.estimator.observe(style, aux_style)
        losses['loss_align'] = self.loss_alignment(feats['embedding'],
                                                   aux_feats['embedding'])
        if self._boundary_loss_active():
            losses['loss_bpl'] = self.loss_boundary(
                feats['embedding'].float(), labels)
        return losses
