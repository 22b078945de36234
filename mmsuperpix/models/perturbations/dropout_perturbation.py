"""Channel-dropout feature perturbation (UniMatch-style baseline)."""
from typing import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class DropoutFeaturePerturbation(nn.Module):
    """Random channel dropout (``Dropout2d``) of classifier-input features.

    UniMatch perturbs features with ``Dropout2d(0.5)``; here it is applied
    at the same place as DDFP's perturbation (the classifier input of the
    unlabeled strong view) so the two compare like for like.

    Args:
        p (float): Channel drop probability. Defaults to 0.5.
        aux_bn (bool): Classify perturbed features with the auxiliary BN.
            Defaults to False (UniMatch uses the shared BN).
    """

    def __init__(self, p: float = 0.5, aux_bn: bool = False) -> None:
        super().__init__()
        self.p = p
        self.aux_bn = aux_bn

    def forward(self, x: torch.Tensor,
                classifier: Callable[[torch.Tensor], torch.Tensor],
                valid: torch.Tensor) -> torch.Tensor:
        """Return ``Dropout2d(p)(x)`` (the classifier is not needed)."""
        return F.dropout2d(x, self.p, training=True)
