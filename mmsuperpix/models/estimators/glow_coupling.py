"""One GLOW affine coupling block followed by a fixed random permutation,
the building unit of DDFP's RealNVP-style feature flow."""
import math
from typing import Tuple

import torch
import torch.nn as nn


class GLOWCoupling(nn.Module):
    """GLOW coupling block + fixed channel permutation (exactly invertible).

    With ``x = (x1, x2)`` split into its first ``C // 2`` and its last
    ``C - C // 2`` channels, and ``c(s) = clamp * 0.636 * atan(s / clamp)``
    the soft scale clamp (``0.636 ~ 2 / pi``, so ``|c(s)| < clamp``)::

        s2, t2 = f2(x2);  y1 = x1 * exp(c(s2)) + t2
        s1, t1 = f1(y1);  y2 = x2 * exp(c(s1)) + t1
        out = cat(y1, y2)[:, perm]
        log|det J| = sum(c(s2)) + sum(c(s1))

    Each subnet ``f`` is ``Linear(c_in, H) - ReLU - Linear(H, H) - ReLU -
    Linear(H, 2 * c_out)``; the first ``c_out`` outputs are the log-scale
    ``s`` and the last ``c_out`` the shift ``t``. ``perm`` is drawn from
    ``torch.Generator().manual_seed(seed)`` and stored as a persistent buffer
    (it is part of the ``state_dict``, so a loaded checkpoint overrides the
    seed).

    Args:
        in_channels (int): Feature dimension ``C`` (at least 2).
        hidden_channels (int): Subnet width ``H``. Defaults to 256.
        clamp (float): Soft-clamp bound of the log-scales. Defaults to 2.0.
        seed (int): Seed of the permutation. Defaults to 0.
    """

    def __init__(self,
                 in_channels: int,
                 hidden_channels: int = 256,
                 clamp: float = 2.0,
                 seed: int = 0) -> None:
        super().__init__()
        if in_channels < 2:
            raise ValueError(
                f'GLOWCoupling needs in_channels >= 2, got {in_channels}')
        if hidden_channels < 1:
            raise ValueError(
                f'hidden_channels must be positive, got {hidden_channels}')
        if not (math.isfinite(clamp) and clamp > 0):
            raise ValueError(f'clamp must be finite and > 0, got {clamp}')
        self.in_channels = in_channels
        self.clamp = float(clamp)
        self.split_len1 = in_channels // 2
        self.split_len2 = in_channels - self.split_len1
        # f2 reads x2 and scales/shifts x1; f1 reads y1 and scales/shifts x2.
        self.subnet2 = self._mlp(self.split_len2, hidden_channels,
                                 self.split_len1)
        self.subnet1 = self._mlp(self.split_len1, hidden_channels,
                                 self.split_len2)
        generator = torch.Generator().manual_seed(int(seed))
        self.register_buffer(
            'perm', torch.randperm(in_channels, generator=generator))

    @staticmethod
    def _mlp(c_in: int, hidden: int, c_out: int) -> nn.Sequential:
        return nn.Sequential(
            nn.Linear(c_in, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, 2 * c_out))

    def _log_scale(self, s: torch.Tensor) -> torch.Tensor:
        """Soft clamp ``c(s)``, elementwise, ``|c(s)| < clamp``."""
        return self.clamp * 0.636 * torch.atan(s / self.clamp)

    def _scale_shift(self, subnet: nn.Module, cond: torch.Tensor,
                     c_out: int) -> Tuple[torch.Tensor, torch.Tensor]:
        out = subnet(cond)
        return self._log_scale(out[:, :c_out]), out[:, c_out:]

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Map ``x`` forward through the coupling and the permutation.

        Args:
            x (Tensor): Features ``(P, C)``.

        Returns:
            tuple[Tensor, Tensor]: ``y`` of shape ``(P, C)`` and the
            per-row log-determinant ``log|det dy/dx|`` of shape ``(P,)``.
        """
        x1, x2 = x[:, :self.split_len1], x[:, self.split_len1:]
        s2, t2 = self._scale_shift(self.subnet2, x2, self.split_len1)
        y1 = x1 * torch.exp(s2) + t2
        s1, t1 = self._scale_shift(self.subnet1, y1, self.split_len2)
        y2 = x2 * torch.exp(s1) + t1
        logdet = s2.sum(dim=1) + s1.sum(dim=1)
        return torch.cat([y1, y2], dim=1)[:, self.perm], logdet

    def inverse(self, y: torch.Tensor) -> torch.Tensor:
        """Exact inverse of :meth:`forward`.

        Args:
            y (Tensor): Outputs ``(P, C)`` of :meth:`forward`.

        Returns:
            Tensor: ``x`` of shape ``(P, C)``.
        """
        y = y[:, torch.argsort(self.perm)]
        y1, y2 = y[:, :self.split_len1], y[:, self.split_len1:]
        s1, t1 = self._scale_shift(self.subnet1, y1, self.split_len2)
        x2 = (y2 - t1) * torch.exp(-s1)
        s2, t2 = self._scale_shift(self.subnet2, x2, self.split_len1)
        x1 = (y1 - t2) * torch.exp(-s2)
        return torch.cat([x1, x2], dim=1)
