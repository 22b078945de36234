"""FreeMatch's self-adaptive class-wise confidence thresholds."""
import torch

from mmsuperpix.registry import MODELS
from .confidence_threshold import ConfidenceThreshold


@MODELS.register_module()
class SelfAdaptiveThreshold(ConfidenceThreshold):
    """Self-adaptive thresholding (Wang et al., "FreeMatch", ICLR 2023),
    applied to pixels.

    A single global 0.95 suits a teacher that starts from ImageNet weights.
    A model trained from scratch is rarely that confident early on, and the
    few pixels that pass are mostly the dominant class (background), so the
    pseudo-labels teach it to under-segment objects. FreeMatch's thresholds
    follow the model instead: over the valid pixels of each batch,

    - ``tau = m * tau + (1 - m) * mean(max_c p)`` (global confidence),
    - ``q_c = m * q_c + (1 - m) * mean(p_c)`` (class-wise expectation),
    - ``thr_c = q_c / max_k q_k * tau``,

    both started at ``1 / C``. A class the model predicts less often gets a
    lower threshold, so objects keep pseudo-labels while background needs
    the global confidence. ``max_thr`` caps every threshold (DDFP's 0.95 by
    default, so a confident model ends at the fixed rule). The statistics
    are buffers: they are saved in checkpoints and restored by
    ``--resume``; in distributed runs the batch means are averaged over
    ranks so every rank applies the same thresholds.

    Args:
        momentum (float): EMA momentum ``m`` per iteration. Defaults to
            0.99 (FreeMatch uses 0.999 with one update per image batch of
            hundreds of images; a segmentation batch holds far more pixels
            per update but fewer updates).
        max_thr (float): Upper bound of every threshold. Defaults to 0.95.
        num_classes (int, optional): ``C``; taken from the first batch when
            None. Defaults to None.
    """

    def __init__(self, momentum: float = 0.99, max_thr: float = 0.95,
                 num_classes: int = 0) -> None:
        super().__init__(thr=max_thr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f'momentum must be in [0, 1), got {momentum}')
        self.momentum = momentum
        self.register_buffer('tau', torch.zeros(()))
        self.register_buffer('class_mean', torch.zeros(num_classes))

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        saved = state_dict.get(f'{prefix}class_mean')
        if saved is not None and saved.shape != self.class_mean.shape:
            self.class_mean = saved.new_zeros(saved.shape)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    @torch.no_grad()
    def thresholds(self, probs: torch.Tensor,
                   valid: torch.Tensor) -> torch.Tensor:
        """Update the statistics with this batch; return ``(C,)``."""
        num_classes = probs.shape[1]
        if self.class_mean.numel() != num_classes:
            if self.tau > 0:
                raise ValueError(
                    f'SelfAdaptiveThreshold was fitted to '
                    f'{self.class_mean.numel()} classes but the teacher '
                    f'predicts {num_classes}')
            self.class_mean = probs.new_full((num_classes, ), 1 / num_classes)
            self.tau.fill_(1 / num_classes)
        pixels = probs.permute(0, 2, 3, 1)[valid].float()  # (P, C)
        stats = torch.cat([pixels.max(1).values.sum()[None], pixels.sum(0),
                           pixels.new_tensor([pixels.shape[0]])])
        if torch.distributed.is_available() and \
                torch.distributed.is_initialized():
            torch.distributed.all_reduce(stats)
        count = stats[-1]
        if count > 0:
            m = self.momentum
            self.tau.mul_(m).add_((1 - m) * stats[0] / count)
            self.class_mean.mul_(m).add_((1 - m) * stats[1:-1] / count)
        thr = self.class_mean / self.class_mean.max().clamp_min(1e-12) * \
            self.tau
        return thr.clamp(max=self.thr).to(probs.dtype)
