"""Teacher-student semi-supervised segmentation around any mmseg segmentor,
with an optional feature perturbation (DDFP, dropout)."""
import math
from contextlib import nullcontext
from copy import deepcopy
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmseg.models.utils import resize
from mmseg.utils import (ConfigType, OptConfigType, OptMultiConfig,
                         SampleList, add_prefix)

from mmsuperpix.registry import MODELS
from ..pseudo_labels import IGNORE_INDEX as IGNORE
from ..utils.cutmix import cutmix, cutmix_boxes
from ..utils.dual_batch_norm import auxiliary_bn, convert_to_dual_bn
from ..utils.superpixel_batch import SuperpixelBatch, resize_nearest
from .head_calls import (capture_output, pooling, replace_input,
                         superpixels_of)
from .pseudo_label_report import pseudo_label_report
from .teacher_student_base import TeacherStudentBase

DEFAULT_SEMI_TRAIN_CFG = dict(
    sup_only_iters=0,  # supervised warm-up before the teacher is used
    perturb_start_iter=0,  # start the feature perturbation
    teacher='ema',  # 'ema' (mean teacher) or 'student' (DDFP's code)
    pseudo_label=dict(type='ConfidenceThreshold', thr=0.95),
    sup_weight=1.0,
    unsup_weight=1.0,
    unsup_rampup_iters=0,  # sigmoid ramp of unsup_weight after the warm-up
    perturbed_fraction=0.5,  # share of unsup_weight for perturbed features
    cutmix_prob=0.5,
    cutmix_area=0.5,
    teacher_train_mode=True,  # DDFP's teacher predicts with batch stats
    # DDFP's loop: the teacher always predicts on [labeled; weak], so its
    # batch statistics (train mode) cover both sources
    teacher_sees_labeled=True)


def _stack_maps(samples: SampleList) -> torch.Tensor:
    return torch.stack([s.gt_sem_seg.data[0] for s in samples]).long()


@MODELS.register_module()
class SemiSupervisedSegmentor(TeacherStudentBase):
    """Student + teacher around any mmseg segmentor config.

    Training batches come from ``MultiBranchDataPreprocessor`` with branches
    ``sup`` (labeled), ``unsup_teacher`` (weak views; their ``gt_sem_seg`` is
    a validity map, 255 on geometric padding; an optional
    ``gt_reference_seg`` holds true labels for diagnostics only) and
    ``unsup_student`` (strong views of the same images, pixel-aligned).
    :meth:`loss` is made of named steps, as mmdet's ``SemiBaseDetector``:

    - before ``sup_only_iters``: :meth:`loss_by_gt` on the labeled batch;
    - then :meth:`get_pseudo_labels`: the teacher predicts the weak views
      (on ``[labeled; weak]`` in one batch, in train mode, as DDFP's loop
      does) and the ``pseudo_label`` rule (e.g. ``ConfidenceThreshold``)
      keeps confident pixels; with reference labels,
      :func:`pseudo_label_report` logs their coverage and precision;
    - with probability ``cutmix_prob`` the strong views and pseudo-labels
      are CutMixed (image ``i`` with ``i + 1``);
    - the student classifies ``[labeled; strong]`` in one batch:
      :meth:`loss_by_gt` + :meth:`loss_by_pseudo_labels` (cross-entropy
      averaged over the pseudo-labelled pixels, as DDFP and UniMatch do,
      weighted ``unsup_weight`` ramped up over ``unsup_rampup_iters``);
    - from ``perturb_start_iter`` with a ``feature_perturbation``:
      :meth:`perturb_features` appends perturbed copies of the strong
      views' features entering the decode head's ``classifier`` block, so
      the same forward pass classifies them, and the same pseudo-labels
      supervise them; the unsup weight is split ``(1 -
      perturbed_fraction, perturbed_fraction)`` between clean and perturbed
      (DDFP: 0.5 / 0.5).

    BN routing follows DDFP's code when the perturbation has an auxiliary
    BN: between the warm-up and the perturbation's start the strong views
    pass the classifier block's auxiliary BN (``warm_up`` mode); afterwards
    the clean strong views use the main BN and the perturbed ones the
    auxiliary BN. A perturbation that ``observes_teacher`` (DDFP's flow)
    receives the teacher's classifier outputs with their labels (ground
    truth, -1 on unlabeled images) to train on by its own optimiser.

    The teacher is updated by ``MeanTeacherHook`` in the mode
    ``semi_train_cfg['teacher']`` names (``'student'``: DDFP's effective
    behaviour; ``'ema'``: mean teacher). Validation and prediction follow
    :class:`TeacherStudentBase` (``semi_test_cfg['predict_on']``).

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
        mode = self.semi_train_cfg['teacher']
        if mode not in ('ema', 'student'):
            raise ValueError("semi_train_cfg['teacher'] must be 'ema' or "
                             f"'student', got {mode!r}")
        self.pseudo_labeler = MODELS.build(self.semi_train_cfg['pseudo_label'])
        self.semi_test_cfg = {'predict_on': 'teacher', **(semi_test_cfg or {})}
        self.teacher_ready = False  # set by MeanTeacherHook

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

    def phase(self, iteration: Optional[int] = None) -> Dict[str, bool]:
        """Which parts are on at ``iteration`` (default: the current one)."""
        t = self._iteration() if iteration is None else iteration
        cfg = self.semi_train_cfg
        semi = t >= cfg['sup_only_iters']
        return dict(
            semi=semi,
            perturb=semi and self.perturbation is not None and
            t >= cfg['perturb_start_iter'])

    @staticmethod
    def _iteration() -> int:
        return MessageHub.get_current_instance().get_info('iter', 0)

    def unsup_weight(self, iteration: Optional[int] = None) -> float:
        """``unsup_weight`` times the ramp ``exp(-5 (1 - r)^2)``, ``r`` the
        share of ``unsup_rampup_iters`` done since the warm-up."""
        cfg = self.semi_train_cfg
        t = self._iteration() if iteration is None else iteration
        if cfg['unsup_rampup_iters'] <= 0:
            return cfg['unsup_weight']
        done = min(max(t - cfg['sup_only_iters'] + 1, 0) /
                   cfg['unsup_rampup_iters'], 1.0)
        return cfg['unsup_weight'] * math.exp(-5.0 * (1.0 - done)**2)

    # --- training steps -------------------------------------------------
    @torch.no_grad()
    def get_pseudo_labels(self, weak: torch.Tensor, weak_samples: SampleList,
                          labeled: torch.Tensor, labeled_samples: SampleList
                          ) -> torch.Tensor:
        """Teacher pseudo-labels ``(N, H, W)`` of the weak views (255 where
        not confident or on padding); feeds the perturbation's observer."""
        if not self.teacher_ready:
            raise RuntimeError(
                'the teacher was never initialised from the student: add '
                "dict(type='MeanTeacherHook') to custom_hooks")
        cfg, teacher = self.semi_train_cfg, self.teacher
        observe = getattr(self.perturbation, 'observes_teacher', False)
        joint = observe or cfg['teacher_sees_labeled']
        inputs = torch.cat([labeled, weak]) if joint else weak
        device = weak.device
        sp = superpixels_of(teacher, weak_samples, device)
        if sp is not None and joint:
            sp = SuperpixelBatch.cat(
                [superpixels_of(teacher, labeled_samples, device), sp])
        context = capture_output(
            self._classifier(teacher)) if observe else nullcontext()
        was_training = teacher.training
        teacher.train(cfg['teacher_train_mode'])
        with context as captured, pooling(teacher, sp):
            logits = teacher.decode_head(teacher.extract_feat(inputs))
        teacher.train(was_training)
        validity = _stack_maps(weak_samples) != IGNORE
        if observe:
            feats = captured['output']
            size = feats.shape[-2:]
            unlabeled = torch.where(resize_nearest(validity.long(), size) > 0,
                                    -1, IGNORE)
            self.perturbation.observe_teacher(feats, torch.cat(
                [resize_nearest(_stack_maps(labeled_samples), size),
                 unlabeled]))
        logits = resize(logits[-weak.shape[0]:], weak.shape[-2:],
                        mode='bilinear', align_corners=False)
        return self.pseudo_labeler(logits.float().softmax(1), validity)

    def loss_by_gt(self, logits: torch.Tensor, feats: Tuple[torch.Tensor],
                   samples: SampleList) -> Dict[str, torch.Tensor]:
        """Supervised losses of the labeled part, ``sup.*``."""
        losses = add_prefix(
            self.student.decode_head.loss_by_feat(logits, samples), 'decode')
        if self.student.with_auxiliary_head:
            losses.update(
                self.student._auxiliary_head_forward_train(feats, samples))
        return _reweighted(losses, 'sup', self.semi_train_cfg['sup_weight'])

    def loss_by_pseudo_labels(self, logits: torch.Tensor,
                              pseudo: torch.Tensor,
                              weight: float) -> Dict[str, torch.Tensor]:
        """Cross-entropy to the pseudo-labels averaged over the labelled
        pixels (DDFP, UniMatch), times ``weight``."""
        logits = resize(logits, pseudo.shape[-2:], mode='bilinear',
                        align_corners=self.student.decode_head.align_corners)
        total = F.cross_entropy(logits.float(), pseudo, ignore_index=IGNORE,
                                reduction='sum')
        count = (pseudo != IGNORE).sum().clamp_min(1)
        return dict(loss_ce=total / count * weight)

    def perturb_features(self, x: torch.Tensor, num_clean: int,
                         pseudo: torch.Tensor) -> torch.Tensor:
        """Classifier input ``x`` (N, C, h, w) with the strong views'
        perturbed features appended: ``(N + n, C, h, w)`` for the last
        ``n = N - num_clean`` (DDFP's ``mix`` pass: clean and perturbed go
        through the classifier in one call; the appended part uses the
        auxiliary BN when the perturbation asks)."""
        block = self._classifier(self.student)
        valid = resize_nearest(pseudo, x.shape[-2:]) != IGNORE
        with auxiliary_bn(block, self.perturbation.aux_bn):
            perturbed = self.perturbation(x[num_clean:], block, valid)
        return torch.cat([x, perturbed])

    def loss(self, inputs: Dict[str, torch.Tensor],
             data_samples: Dict[str, SampleList]) -> Dict[str, torch.Tensor]:
        """The steps of the class docs; returns their named losses."""
        if 'sup' not in inputs:
            raise ValueError(
                'the batch has no labeled (sup) branch: check the '
                "MultiSourceSampler's source_ratio and the MultiBranch "
                'pipelines')
        cfg = self.semi_train_cfg
        phase = self.phase()
        sup_in, sup_samples = inputs['sup'], data_samples['sup']
        if not phase['semi'] or 'unsup_student' not in inputs:
            return _reweighted(self.student.loss(sup_in, sup_samples), 'sup',
                               cfg['sup_weight'])
        device = sup_in.device
        weak_samples = data_samples['unsup_teacher']
        pseudo = self.get_pseudo_labels(inputs['unsup_teacher'], weak_samples,
                                        sup_in, sup_samples)
        losses = pseudo_label_report(pseudo, weak_samples)
        strong = inputs['unsup_student']
        sp_strong = superpixels_of(self.student,
                                   data_samples['unsup_student'], device)
        if torch.rand(()).item() < cfg['cutmix_prob']:
            masks = cutmix_boxes(*pseudo.shape, area_ratio=cfg['cutmix_area'])
            strong, pseudo = cutmix(strong, pseudo, masks)
            if sp_strong is not None:
                sp_strong = sp_strong.cutmix(masks)
        num_sup, num_strong = sup_in.shape[0], strong.shape[0]
        block = self._classifier(self.student)
        sp_sup = superpixels_of(self.student, sup_samples, device)
        perturb = phase['perturb']
        sp_all = None if sp_sup is None else SuperpixelBatch.cat(
            [sp_sup, sp_strong] + [sp_strong] * perturb)
        aux_bn = self.perturbation is not None and self.perturbation.aux_bn
        # BN routing (DDFP's code): before the perturbation starts the
        # strong views use the auxiliary BN ('warm_up'); afterwards only
        # the perturbed copies do ('mix')
        aux_start = num_sup + num_strong if perturb else num_sup
        edit = replace_input(block, lambda x: self.perturb_features(
            x, num_sup, pseudo)) if perturb else nullcontext()
        with edit, pooling(self.student, sp_all), auxiliary_bn(
                block, aux_bn, start=aux_start):
            feats = self.student.extract_feat(torch.cat([sup_in, strong]))
            logits = self.student.decode_head(feats)
        losses.update(self.loss_by_gt(logits[:num_sup],
                                      [f[:num_sup] for f in feats],
                                      sup_samples))
        weight = self.unsup_weight()
        losses['unsup.weight'] = torch.tensor(weight, device=device)
        if perturb:
            fraction = cfg['perturbed_fraction']
            losses.update(add_prefix(self.loss_by_pseudo_labels(
                logits[num_sup + num_strong:], pseudo, weight * fraction),
                'perturb.decode'))
            weight *= 1 - fraction
        losses.update(add_prefix(self.loss_by_pseudo_labels(
            logits[num_sup:num_sup + num_strong], pseudo, weight),
            'unsup.decode'))
        return losses

def _reweighted(losses: dict, prefix: str, weight: float) -> dict:
    """``losses`` renamed ``<prefix>.<name>``, the ``loss*`` entries times
    ``weight`` (mmdet's ``rename_loss_dict`` + ``reweight_loss_dict``)."""
    return {f'{prefix}.{k}': v * weight if 'loss' in k else v
            for k, v in losses.items()}
