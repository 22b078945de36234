"""DINO's self-distillation loss (Caron et al., ICCV 2021)."""
from typing import Dict, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.dist import all_reduce, get_world_size

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class DINOLoss(nn.Module):
    """Cross-entropy from the centred, sharpened teacher to the student,
    over every pair of different views (written from the paper's
    Algorithm 1).

    ``P_t = softmax((g_t - c) / tau_t)`` for each of the teacher's views
    (the global crops), ``log P_s = log_softmax(g_s / tau_s)`` for each of
    the student's (global crops first, then the local ones); the loss is
    the mean over the pairs (teacher view ``i``, student view ``j != i``)
    of ``-sum P_t log P_s`` averaged over the batch. After each call the
    centre ``c`` moves toward the batch mean of the teacher's outputs:
    ``c = m c + (1 - m) mean(g_t)`` (averaged over processes when
    distributed). Centring keeps one prototype from dominating, sharpening
    (``tau_t < tau_s``) keeps the output from going uniform: together they
    avoid collapse.

    Args:
        out_dim (int): Number of prototypes (the head's ``out_dim``).
        student_temp (float): ``tau_s``. Defaults to 0.1.
        center_momentum (float): ``m``. Defaults to 0.9.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 out_dim: int,
                 student_temp: float = 0.1,
                 center_momentum: float = 0.9,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.student_temp = student_temp
        self.center_momentum = center_momentum
        self.loss_weight = loss_weight
        self.register_buffer('center', torch.zeros(1, out_dim))

    def forward(self, student: Sequence[torch.Tensor],
                teacher: Sequence[torch.Tensor],
                teacher_temp: float) -> Dict[str, torch.Tensor]:
        """Loss of the student's views against the teacher's.

        Args:
            student (list[Tensor]): ``(N, out_dim)`` logits per view, the
                teacher's views first, in the same order.
            teacher (list[Tensor]): ``(N, out_dim)`` logits per global view.
            teacher_temp (float): ``tau_t`` at this iteration.

        Returns:
            dict: ``loss_dino`` and, for the log, the teacher's mean entropy
            ``teacher_entropy`` (0 = one-hot, collapse to a prototype;
            ``log(out_dim)`` = uniform, collapse to the centre).
        """
        if len(student) < len(teacher):
            raise ValueError(f'the student has {len(student)} views, fewer '
                             f'than the teacher ({len(teacher)})')
        targets = [F.softmax((t.float() - self.center) / teacher_temp, -1)
                   .detach() for t in teacher]
        log_probs = [F.log_softmax(s.float() / self.student_temp, -1)
                     for s in student]
        terms = [-(target * log_probs[j]).sum(-1).mean()
                 for i, target in enumerate(targets)
                 for j in range(len(log_probs)) if j != i]
        loss = torch.stack(terms).mean()
        with torch.no_grad():
            entropy = torch.stack([
                -(p * p.clamp_min(1e-12).log()).sum(-1).mean()
                for p in targets]).mean()
            self.update_center(torch.cat([t.float() for t in teacher]))
        return dict(loss_dino=self.loss_weight * loss,
                    teacher_entropy=entropy)

    @torch.no_grad()
    def update_center(self, teacher: torch.Tensor) -> None:
        """Move the centre toward the mean of ``(M, out_dim)`` outputs."""
        total = teacher.sum(0, keepdim=True)
        count = torch.tensor(float(len(teacher)), device=teacher.device)
        if get_world_size() > 1:
            all_reduce(total)
            all_reduce(count)
        self.center.mul_(self.center_momentum).add_(
            total / count, alpha=1 - self.center_momentum)
