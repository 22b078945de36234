"""Pseudo-labels kept where the teacher's confidence passes one threshold."""
import torch
import torch.nn as nn

from mmsuperpix.registry import MODELS
from .label_values import IGNORE_INDEX


@MODELS.register_module()
class ConfidenceThreshold(nn.Module):
    """Hard pseudo-labels ``argmax p`` where ``max p > thr`` (DDFP, FixMatch).

    This is the pseudo-label rule of DDFP's and UniMatch's code (0.95 on
    VOC). Every pseudo-label rule of the semi-supervised segmentor is a
    module with this call signature, so that other rules can be registered
    and chosen in the config (``semi_train_cfg.pseudo_label``).

    Args:
        thr (float): Confidence a pixel must exceed. Defaults to 0.95.
    """

    def __init__(self, thr: float = 0.95) -> None:
        super().__init__()
        if not 0.0 <= thr < 1.0:
            raise ValueError(f'thr must be in [0, 1), got {thr}')
        self.thr = thr

    def thresholds(self, probs: torch.Tensor,
                   valid: torch.Tensor) -> torch.Tensor:
        """Per-class thresholds ``(C,)`` for this batch (all ``thr``)."""
        return probs.new_full((probs.shape[1], ), self.thr)

    def forward(self, probs: torch.Tensor,
                valid: torch.Tensor) -> torch.Tensor:
        """Pseudo-labels of a batch.

        Args:
            probs (Tensor): Teacher class probabilities ``(N, C, H, W)``.
            valid (Tensor): ``(N, H, W)`` bool, False on padding.

        Returns:
            Tensor: ``(N, H, W)`` long labels, :data:`IGNORE_INDEX` where
            the confidence is not above the class threshold or on padding.
        """
        conf, labels = probs.max(1)
        thr = self.thresholds(probs, valid)[labels]
        labels[(conf <= thr) | ~valid] = IGNORE_INDEX
        return labels
