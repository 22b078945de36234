"""DINO: self-distillation with no labels (Caron et al., "Emerging
Properties in Self-Supervised Vision Transformers", ICCV 2021), for any
mmseg backbone. Written from the paper; no code copied."""
import copy
import math
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModel

from mmsuperpix.registry import MODELS
from mmsuperpix.superpixels import check_precision, precision_context
from ..utils.ema import ema_update_


@MODELS.register_module()
class DINO(BaseModel):
    """A student (backbone + ``DINOHead``) learns to match, on every view of
    an image, the momentum teacher's centred and sharpened output on the
    other global views; no labels.

    Training batches come from ``MultiBranch`` (one branch per crop) through
    ``MultiBranchDataPreprocessor``: ``inputs = {view: (N, 3, h, w)}``. The
    branches named in ``global_views`` go to the teacher and the student,
    all others (the local crops) to the student only. Views of one size are
    stacked into one forward pass. ``loss`` is made of named steps:
    :meth:`teacher_outputs`, :meth:`student_outputs`,
    :meth:`loss_by_self_distillation`.

    Schedules over the run (progress ``p`` in ``[0, 1)``, set before every
    iteration by ``DINOHook``, which also moves the teacher after it):

    - teacher temperature: linear from ``teacher_temp[0]`` to
      ``teacher_temp[1]`` over the first ``teacher_temp_warmup`` of the run,
      then constant (paper: 0.04 to 0.07 over 30 of 100 epochs);
    - teacher momentum ``m``: cosine from ``momentum[0]`` to
      ``momentum[1]`` (paper: 0.996 to 1); ``teacher = m teacher +
      (1 - m) student``;
    - the head's last layer gets zero gradients during the first
      ``freeze_last_layer`` of the run (paper: the first epoch).

    Learning rate and weight decay schedules are mmengine parameter
    schedulers in the config. The teacher starts as a copy of the student
    (after ``init_weights``) and has no drop path.

    The pooled feature is the class token (``pooling='cls'``, an mmseg
    ``VisionTransformer`` with ``output_cls_token=True``) or the spatial
    mean of the last output (``'mean'``, any backbone).

    Args:
        backbone (dict): An mmseg backbone config.
        head (dict): A ``DINOHead`` config.
        loss (dict): A ``DINOLoss`` config.
        data_preprocessor (dict): A ``MultiBranchDataPreprocessor`` config.
        global_views (Sequence[str]): Branch names of the global crops.
        pooling (str): ``'cls'`` or ``'mean'``. Defaults to ``'cls'``.
        teacher_temp (tuple[float, float]): Defaults to (0.04, 0.07).
        teacher_temp_warmup (float): Share of the run. Defaults to 0.3.
        momentum (tuple[float, float]): Defaults to (0.996, 1.0).
        freeze_last_layer (float): Share of the run. Defaults to 0.01.
        mixed_precision (str, optional): Autocast of the networks' forward
            passes: ``'bfloat16'``, ``'float16'``, ``'auto'`` (bfloat16 on
            CPUs with native support) or None (float32, default). The loss
            is computed in float32.
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 loss: dict,
                 data_preprocessor: dict,
                 global_views: Sequence[str] = ('global_0', 'global_1'),
                 pooling: str = 'cls',
                 teacher_temp: Tuple[float, float] = (0.04, 0.07),
                 teacher_temp_warmup: float = 0.3,
                 momentum: Tuple[float, float] = (0.996, 1.0),
                 freeze_last_layer: float = 0.01,
                 mixed_precision: Optional[str] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        if pooling not in ('cls', 'mean'):
            raise ValueError(f"pooling must be 'cls' or 'mean', got "
                             f'{pooling!r}')
        if len(global_views) < 1:
            raise ValueError('global_views must name at least one branch')
        self.student = nn.ModuleDict(dict(backbone=MODELS.build(backbone),
                                          head=MODELS.build(head)))
        self.teacher = copy.deepcopy(self.student)
        for module in self.teacher.modules():
            if hasattr(module, 'drop_prob'):
                module.drop_prob = 0.0
        self.teacher.requires_grad_(False)
        self.loss_module = MODELS.build(loss)
        self.global_views = tuple(global_views)
        self.pooling = pooling
        self.teacher_temp_range = tuple(teacher_temp)
        self.teacher_temp_warmup = teacher_temp_warmup
        self.momentum_range = tuple(momentum)
        self.freeze_last_layer = freeze_last_layer
        check_precision(mixed_precision, 'mixed_precision')
        self.mixed_precision = mixed_precision
        self.set_progress(0.0)

    def init_weights(self) -> None:
        """Initialise the student, then copy it into the teacher."""
        super().init_weights()
        self.teacher.load_state_dict(self.student.state_dict())

    # -- schedules -----------------------------------------------------------
    def set_progress(self, progress: float) -> None:
        """Set the schedules for progress ``p = iter / max_iters``."""
        start, end = self.teacher_temp_range
        share = (min(progress / self.teacher_temp_warmup, 1.0)
                 if self.teacher_temp_warmup > 0 else 1.0)
        self.teacher_temp = start + (end - start) * share
        low, high = self.momentum_range
        self.momentum = high - (high - low) * (
            math.cos(math.pi * min(progress, 1.0)) + 1) / 2
        self.student['head'].last_layer_frozen = (
            progress < self.freeze_last_layer)

    def update_teacher(self) -> None:
        """``teacher = m teacher + (1 - m) student`` (parameters only)."""
        ema_update_(self.teacher, self.student, self.momentum)

    # -- the named steps of the loss ----------------------------------------
    def pool(self, outputs: Sequence) -> torch.Tensor:
        """The backbone's outputs -> ``(N, C)`` pooled feature."""
        last = outputs[-1]
        if isinstance(last, (list, tuple)):  # a ViT's [patch tokens, cls]
            tokens, cls_token = last
            return cls_token if self.pooling == 'cls' else tokens.mean((2, 3))
        if self.pooling == 'cls':
            raise ValueError(
                "pooling='cls' needs a backbone that returns its class token "
                '(mmseg VisionTransformer with output_cls_token=True and '
                "final_norm=True); use pooling='mean' for other backbones")
        return last.mean((2, 3))

    def embed(self, network: nn.ModuleDict,
              views: List[torch.Tensor]) -> List[torch.Tensor]:
        """``(N, out_dim)`` head outputs per view, one forward pass per run
        of equally sized views."""
        outputs, start = [], 0
        while start < len(views):
            stop = start + 1
            while (stop < len(views)
                   and views[stop].shape[-2:] == views[start].shape[-2:]):
                stop += 1
            batch = torch.cat(views[start:stop])
            with precision_context(self.mixed_precision, batch.device.type):
                logits = network['head'](self.pool(
                    network['backbone'](batch)))
            outputs.extend(logits.chunk(stop - start))
            start = stop
        return outputs

    @torch.no_grad()
    def teacher_outputs(self, views: List[torch.Tensor]) -> List[torch.Tensor]:
        """The teacher's outputs on the global views."""
        return self.embed(self.teacher, views)

    def student_outputs(self, views: List[torch.Tensor]) -> List[torch.Tensor]:
        """The student's outputs on all views, global ones first."""
        return self.embed(self.student, views)

    def loss_by_self_distillation(self, student: List[torch.Tensor],
                                  teacher: List[torch.Tensor]) -> dict:
        """DINO's cross-entropy over pairs of different views."""
        losses = self.loss_module(student, teacher, self.teacher_temp)
        losses['teacher_temp'] = torch.tensor(self.teacher_temp)
        losses['momentum'] = torch.tensor(self.momentum)
        return losses

    def split_views(self, inputs: Dict[str, torch.Tensor]
                    ) -> Tuple[List[torch.Tensor], List[torch.Tensor]]:
        """``(global views, local views)`` from a batch by branch."""
        missing = [v for v in self.global_views if v not in inputs]
        if missing:
            raise KeyError(f'the batch has no global view {missing}; its '
                           f'branches are {sorted(inputs)}: name them in the '
                           "MultiBranch's branch_field or set global_views")
        return ([inputs[v] for v in self.global_views],
                [x for k, x in inputs.items() if k not in self.global_views])

    def loss(self, inputs: Dict[str, torch.Tensor],
             data_samples=None) -> dict:
        """The DINO loss of a multi-crop batch."""
        if not isinstance(inputs, dict):
            raise TypeError('DINO trains on multi-crop batches: end the '
                            'training pipeline with MultiBranch (one branch '
                            'per crop) and use MultiBranchDataPreprocessor, '
                            f'got inputs of type {type(inputs).__name__}')
        global_views, local_views = self.split_views(inputs)
        teacher = self.teacher_outputs(global_views)
        student = self.student_outputs(global_views + local_views)
        return self.loss_by_self_distillation(student, teacher)

    def extract_feat(self, inputs: torch.Tensor):
        """The teacher backbone's outputs (the network DINO evaluates)."""
        return self.teacher['backbone'](inputs)

    def forward(self,
                inputs: Union[torch.Tensor, Dict[str, torch.Tensor]],
                data_samples=None,
                mode: str = 'tensor'):
        """``mode='loss'``: :meth:`loss`; ``'tensor'``: the teacher's
        backbone outputs on ``(N, 3, H, W)`` images."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'tensor':
            return self.extract_feat(inputs)
        raise ValueError(f"DINO supports mode 'loss' and 'tensor', got "
                         f'{mode!r}')
