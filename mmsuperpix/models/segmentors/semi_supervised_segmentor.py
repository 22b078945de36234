"""Mean-teacher semi-supervised segmentation around any mmseg segmentor,
with an optional feature perturbation (DDFP, dropout)."""
from contextlib import nullcontext
from copy import deepcopy
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmengine.structures import PixelData
from mmseg.models.segmentors import BaseSegmentor
from mmseg.structures import SegDataSample
from mmseg.utils import (ConfigType, OptConfigType, OptMultiConfig,
                         SampleList, add_prefix)

from mmsuperpix.registry import MODELS
from ..utils.cutmix import cutmix, cutmix_boxes
from ..utils.dual_batch_norm import auxiliary_bn, convert_to_dual_bn
from ..utils.superpixel_batch import SuperpixelBatch, resize_nearest
from .head_calls import capture, pooling, superpixels_of

IGNORE = 255
DEFAULT_SEMI_TRAIN_CFG = dict(
    sup_only_iters=0,  # supervised warm-up before the teacher is used
    flow_start_iter=0,  # DDFP: start collecting features for the flow
    perturb_start_iter=0,  # start the feature perturbation
    conf_thr=0.95,  # pseudo-labels with confidence <= thr are ignored
    sup_weight=1.0,
    unsup_weight=1.0,
    perturbed_fraction=0.5,  # share of unsup_weight for perturbed features
    cutmix_prob=0.5,
    cutmix_area=0.5,
    teacher_train_mode=True,  # DDFP's teacher predicts with batch stats
    # DDFP's loop: the teacher always predicts on [labeled; weak], so its
    # batch statistics (train mode) cover both sources
    teacher_sees_labeled=True,
    flow_max_pixels=20480)


def _stack_maps(samples: SampleList) -> torch.Tensor:
    return torch.stack([s.gt_sem_seg.data[0] for s in samples]).long()


@MODELS.register_module()
class SemiSupervisedSegmentor(BaseSegmentor):
    """Student + EMA teacher around any mmseg segmentor config.

    Training batches come from ``MultiBranchDataPreprocessor`` with branches
    ``sup`` (labeled), ``unsup_teacher`` (weak views; their ``gt_sem_seg`` is
    a validity map, 255 on geometric padding) and ``unsup_student`` (strong
    views of the same images, pixel-aligned). Per iteration ``t`` (read from
    mmengine's MessageHub):

    - ``t < sup_only_iters``: supervised loss only;
    - afterwards: pseudo-labels = teacher argmax on the weak views (the
      teacher runs on ``[labeled; weak]`` in one batch, as DDFP's loop does,
      unless ``teacher_sees_labeled=False``), pixels
      with confidence ``<= conf_thr`` or on padding set to 255; with
      probability ``cutmix_prob`` the strong views and pseudo-labels are
      CutMixed (image ``i`` with ``i + 1``); the student's loss is
      ``sup_weight * CE(labeled) + unsup_weight * CE(strong)``;
    - with a ``feature_perturbation`` and ``t >= perturb_start_iter``, the
      features entering the decode head's ``classifier`` block (e.g.
      ``sep_bottleneck`` of DeepLabV3+) for the strong views are perturbed,
      classified again (with the auxiliary BN when the perturbation asks)
      and supervised by the same pseudo-labels; the unsup weight is split
      ``(1 - perturbed_fraction, perturbed_fraction)`` between the clean and
      perturbed predictions (DDFP: 0.5 / 0.5);
    - with a flow-based perturbation and ``t >= flow_start_iter``, up to
      ``flow_max_pixels`` teacher features (the classifier block's output)
      of the labeled and weak images, with their labels (-1 = unlabeled),
      are left in :attr:`flow_batch` for ``DDFPHook`` to train the flow.

    The teacher's EMA update is ``MeanTeacherHook``'s job; validation and
    prediction use ``semi_test_cfg['predict_on']`` (``'teacher'`` or
    ``'student'``, see ``TeacherStudentValLoop``). Both are plain mmseg
    segmentors: the perturbation and its flow are not used at inference.

    Args:
        segmentor (dict): The student's mmseg segmentor config (e.g.
            ``EncoderDecoder`` with DeepLabV3+); the teacher is a copy.
        semi_train_cfg (dict, optional): Overrides of
            :data:`DEFAULT_SEMI_TRAIN_CFG`.
        semi_test_cfg (dict, optional): ``predict_on`` (default teacher).
        feature_perturbation (dict, optional): e.g.
            ``DensityDescendingPerturbation`` or ``DropoutFeaturePerturbation``.
        classifier (str): Name of the decode head's block between the
            decoder features and ``cls_seg``, dotted for nested heads (e.g.
            ``'head.sep_bottleneck'`` inside a ``SuperpixelPoolingHead``,
            whose pooling then applies to the student, the teacher and the
            perturbed features alike). Defaults to ``'sep_bottleneck'``.
        data_preprocessor (dict, optional): ``MultiBranchDataPreprocessor``.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 segmentor: ConfigType,
                 semi_train_cfg: OptConfigType = None,
                 semi_test_cfg: OptConfigType = None,
                 feature_perturbation: OptConfigType = None,
                 classifier: str = 'sep_bottleneck',
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.student = MODELS.build(segmentor)
        self.perturbation = MODELS.build(
            feature_perturbation) if feature_perturbation else None
        self.classifier_name = classifier
        if self.perturbation is not None:
            block = self._classifier(self.student)
            if self.perturbation.aux_bn and convert_to_dual_bn(block) == 0:
                raise ValueError(
                    f'the decode head block {classifier!r} has no BatchNorm '
                    'to duplicate; set aux_bn=False in the perturbation')
        self.teacher = deepcopy(self.student)
        self.teacher.requires_grad_(False)
        unknown = set(semi_train_cfg or {}) - set(DEFAULT_SEMI_TRAIN_CFG)
        if unknown:
            raise KeyError(f'unknown semi_train_cfg keys {sorted(unknown)}; '
                           f'valid: {sorted(DEFAULT_SEMI_TRAIN_CFG)}')
        self.semi_train_cfg = {**DEFAULT_SEMI_TRAIN_CFG,
                               **(semi_train_cfg or {})}
        self.semi_test_cfg = {'predict_on': 'teacher', **(semi_test_cfg or {})}
        self.flow_batch: Optional[Tuple[torch.Tensor, torch.Tensor]] = None

    # --- plumbing -----------------------------------------------------
    def _classifier(self, segmentor: nn.Module) -> nn.Module:
        head = segmentor.decode_head
        try:
            block = head.get_submodule(self.classifier_name)
        except AttributeError:
            block = None
        if not isinstance(block, nn.Module):
            raise AttributeError(
                f'{type(head).__name__} has no block {self.classifier_name!r};'
                ' set `classifier` to the submodule between its decoder '
                'features and cls_seg (e.g. sep_bottleneck for DeepLabV3+, '
                'bottleneck for PSP/ASPP heads, fusion_conv for SegFormer)')
        return block

    @property
    def uses_flow(self) -> bool:
        """Whether the perturbation is density based (needs a flow)."""
        return hasattr(self.perturbation, 'flow')

    def phase(self, iteration: Optional[int] = None) -> Dict[str, bool]:
        """Which parts are on at ``iteration`` (default: the current one)."""
        t = MessageHub.get_current_instance().get_info(
            'iter', 0) if iteration is None else iteration
        cfg = self.semi_train_cfg
        semi = t >= cfg['sup_only_iters']
        return dict(
            semi=semi,
            flow=semi and self.uses_flow and t >= cfg['flow_start_iter'],
            perturb=semi and self.perturbation is not None and
            t >= cfg['perturb_start_iter'])

    def _predictor(self) -> nn.Module:
        which = self.semi_test_cfg['predict_on']
        if which not in ('teacher', 'student'):
            raise ValueError(f"predict_on must be 'teacher' or 'student', "
                             f'got {which!r}')
        return getattr(self, which)

    def extract_feat(self, inputs: torch.Tensor):
        """Features of the model chosen by ``predict_on``."""
        return self._predictor().extract_feat(inputs)

    def encode_decode(self, inputs: torch.Tensor,
                      batch_img_metas: List[dict]) -> torch.Tensor:
        """Logits of the model chosen by ``predict_on``."""
        return self._predictor().encode_decode(inputs, batch_img_metas)

    def _forward(self, inputs, data_samples=None):
        return self._predictor()._forward(inputs, data_samples)

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None) -> SampleList:
        """Plain mmseg prediction of the teacher or the student."""
        return self._predictor().predict(inputs, data_samples)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        keys = [k for k in state_dict if k.startswith(prefix)]
        if keys and not any(k[len(prefix):].startswith(('student.',
                                                        'teacher.'))
                            for k in keys):
            for key in keys:  # a plain segmentor checkpoint: load it twice
                value = state_dict.pop(key)
                name = key[len(prefix):]
                state_dict[f'{prefix}student.{name}'] = value
                state_dict[f'{prefix}teacher.{name}'] = value.clone()
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    # --- training -----------------------------------------------------
    @torch.no_grad()
    def _teach(self, weak: torch.Tensor, validity: torch.Tensor,
               labeled: Optional[torch.Tensor], labels: Optional[torch.Tensor],
               collect_flow: bool,
               superpixels: Tuple[Optional[SuperpixelBatch], ...] = (None,
                                                                      None)
               ) -> torch.Tensor:
        """Pseudo-labels (N, H, W) of the weak views; stores the flow batch."""
        teacher = self.teacher
        joint = collect_flow or (self.semi_train_cfg['teacher_sees_labeled']
                                 and labeled is not None)
        inputs = torch.cat([labeled, weak]) if joint else weak
        sp_labeled, sp_weak = superpixels
        if sp_weak is not None and joint:
            sp_weak = SuperpixelBatch.cat([sp_labeled, sp_weak])
        context = nullcontext()
        if collect_flow:
            context = capture(self._classifier(teacher), 'output')
        was_training = teacher.training
        teacher.train(self.semi_train_cfg['teacher_train_mode'])
        with context as captured, pooling(teacher, sp_weak):
            logits = teacher.decode_head(teacher.extract_feat(inputs))
        teacher.train(was_training)
        logits = F.interpolate(logits[-weak.shape[0]:], weak.shape[-2:],
                               mode='bilinear', align_corners=False)
        conf, pseudo = logits.float().softmax(1).max(1)
        pseudo[(conf <= self.semi_train_cfg['conf_thr']) |
               (validity == IGNORE)] = IGNORE
        if collect_flow:
            self.flow_batch = self._flow_samples(captured['output'], labels,
                                                 validity)
        return pseudo

    def _flow_samples(self, feats: torch.Tensor, labels: torch.Tensor,
                      validity: torch.Tensor):
        """Random ``(P, D)`` teacher features with labels (-1 = unlabeled)."""
        size = feats.shape[-2:]
        unlabeled = torch.where(resize_nearest(validity, size) == IGNORE,
                                IGNORE, -1)
        targets = torch.cat([resize_nearest(labels, size), unlabeled])
        keep = targets.flatten() != IGNORE
        pixels = feats.permute(0, 2, 3, 1).reshape(-1, feats.shape[1])[keep]
        targets = targets.flatten()[keep]
        limit = self.semi_train_cfg['flow_max_pixels']
        if pixels.shape[0] > limit:
            pick = torch.randperm(pixels.shape[0], device=pixels.device)
            pixels, targets = pixels[pick[:limit]], targets[pick[:limit]]
        return pixels.detach().float(), targets

    def _pseudo_samples(self, pseudo: torch.Tensor) -> SampleList:
        return [SegDataSample(gt_sem_seg=PixelData(data=p[None]))
                for p in pseudo]

    def loss(self, inputs: Dict[str, torch.Tensor],
             data_samples: Dict[str, SampleList]) -> Dict[str, torch.Tensor]:
        """Supervised, pseudo-label and perturbation losses (see class)."""
        if 'sup' not in inputs:
            raise ValueError(
                'the batch has no labeled (sup) branch: check the '
                "MultiSourceSampler's source_ratio and the MultiBranch "
                'pipelines')
        cfg = self.semi_train_cfg
        phase = self.phase()
        sup_in, sup_samples = inputs['sup'], data_samples['sup']
        if not phase['semi'] or 'unsup_student' not in inputs:
            losses = self.student.loss(sup_in, sup_samples)
            return {k: v * cfg['sup_weight'] if 'loss' in k else v
                    for k, v in add_prefix(losses, 'sup').items()}
        validity = _stack_maps(data_samples['unsup_teacher'])
        device = sup_in.device
        sp_sup = superpixels_of(self.student, sup_samples, device)
        pseudo = self._teach(
            inputs['unsup_teacher'], validity, sup_in,
            _stack_maps(sup_samples), phase['flow'],
            (sp_sup, superpixels_of(self.teacher,
                                    data_samples['unsup_teacher'], device)))
        strong = inputs['unsup_student']
        sp_strong = superpixels_of(self.student,
                                   data_samples['unsup_student'], device)
        if torch.rand(()).item() < cfg['cutmix_prob']:
            masks = cutmix_boxes(*pseudo.shape, area_ratio=cfg['cutmix_area'])
            strong, pseudo = cutmix(strong, pseudo, masks)
            if sp_strong is not None:
                sp_strong = sp_strong.cutmix(masks)
        num_sup = sup_in.shape[0]
        block = self._classifier(self.student)
        sp_all = None if sp_sup is None else SuperpixelBatch.cat(
            [sp_sup, sp_strong])
        with capture(block, 'input') as captured, pooling(
                self.student, sp_all):
            feats = self.student.extract_feat(torch.cat([sup_in, strong]))
            logits = self.student.decode_head(feats)
        head = self.student.decode_head
        unsup_weight = cfg['unsup_weight']
        losses = add_prefix(head.loss_by_feat(logits[:num_sup], sup_samples),
                            'sup.decode')
        if self.student.with_auxiliary_head:
            losses.update(add_prefix(self.student._auxiliary_head_forward_train(
                [f[:num_sup] for f in feats], sup_samples), 'sup'))
        pseudo_samples = self._pseudo_samples(pseudo)
        if phase['perturb']:
            fraction = cfg['perturbed_fraction']
            x = captured['input'][num_sup:]
            valid = resize_nearest(pseudo, x.shape[-2:]) != IGNORE
            with auxiliary_bn(block, self.perturbation.aux_bn), pooling(
                    self.student, sp_strong):
                perturbed = self.perturbation(x, block, valid)
                perturbed_logits = head.cls_seg(block(perturbed))
            losses.update(add_prefix(
                self._weighted(head.loss_by_feat(perturbed_logits,
                                                 pseudo_samples),
                               unsup_weight * fraction), 'perturb.decode'))
            unsup_weight *= 1 - fraction
        losses.update(add_prefix(
            self._weighted(head.loss_by_feat(logits[num_sup:],
                                             pseudo_samples), unsup_weight),
            'unsup.decode'))
        for key in [k for k in losses if 'loss' in k and k.startswith('sup')]:
            losses[key] = losses[key] * cfg['sup_weight']
        losses['unsup.confident'] = (pseudo != IGNORE).float().mean()
        return losses

    @staticmethod
    def _weighted(losses: dict, weight: float) -> dict:
        return {k: v * weight if 'loss' in k else v for k, v in losses.items()}
