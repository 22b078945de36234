"""CLUB, a contrastive log-ratio upper bound of mutual information (Cheng
et al., ICML 2020), as CDS uses it (Xu et al., AAAI 2024)."""
from typing import Dict, Optional

import torch
import torch.nn as nn

from mmsuperpix.registry import MODELS
from ..utils.auxiliary_estimator import AuxiliaryEstimator


@MODELS.register_module()
class CLUBEstimator(nn.Module, AuxiliaryEstimator):
    """Upper bound of ``I(x; y)`` through a Gaussian ``q(y | x)``.

    ``q(y | x) = N(mu(x), exp(logvar(x)))`` with ``mu`` a Linear-ReLU-Linear
    net and ``logvar`` the same plus a final tanh (CDS's sizes: 4 hidden
    units). The bound (:meth:`forward`, minimised by the main network,
    gradients to ``x`` and ``y`` only) is the mean over pairs ``i`` of
    ``log q(y_i | x_i) - mean_j log q(y_j | x_i)``, dropping the constant
    terms. ``q`` itself is fitted by maximum likelihood on the last
    observed batch, detached, by its own optimiser (Adam 5e-4 in CDS),
    through :class:`AuxiliaryEstimator`: the owner calls :meth:`observe`
    during its loss, ``AuxiliaryEstimatorHook`` steps it afterwards.

    Args:
        x_dim (int): Size of ``x``. Defaults to 32.
        y_dim (int): Size of ``y``. Defaults to 32.
        hidden_channels (int): Hidden units of each net. Defaults to 4.
        optimizer (dict, optional): The estimator's optimiser config.
            Defaults to ``dict(type='Adam', lr=5e-4)`` (CDS).

    Shapes:
        ``x (B, x_dim)``, ``y (B, y_dim)`` -> a scalar.
    """

    def __init__(self,
                 x_dim: int = 32,
                 y_dim: int = 32,
                 hidden_channels: int = 4,
                 optimizer: Optional[dict] = None) -> None:
        super().__init__()
        self.mu = nn.Sequential(nn.Linear(x_dim, hidden_channels),
                                nn.ReLU(inplace=True),
                                nn.Linear(hidden_channels, y_dim))
        self.logvar = nn.Sequential(nn.Linear(x_dim, hidden_channels),
                                    nn.ReLU(inplace=True),
                                    nn.Linear(hidden_channels, y_dim),
                                    nn.Tanh())
        self.requires_grad_(False)  # trained in estimator_step only
        self.estimator_optimizer = dict(optimizer or dict(type='Adam',
                                                          lr=5e-4))
        self._batch = None

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The mutual-information upper bound of the pairs ``(x_i, y_i)``."""
        mu, logvar = self.mu(x), self.logvar(x)
        precision = (-logvar).exp()
        positive = -((mu - y)**2 * precision).sum(1) / 2
        # mean_j (mu_i - y_j)^2 = (mu_i - mean y)^2 + var(y), per dimension
        spread = (mu - y.mean(0))**2 + y.var(0, unbiased=False)
        negative = -(spread * precision).sum(1) / 2
        return (positive - negative).mean()

    def log_likelihood(self, x: torch.Tensor, y: torch.Tensor
                       ) -> torch.Tensor:
        """Mean ``log q(y | x)`` up to constants (times 2, as CDS)."""
        mu, logvar = self.mu(x), self.logvar(x)
        return (-(mu - y)**2 / logvar.exp() - logvar).sum(1).mean()

    @torch.no_grad()
    def observe(self, x: torch.Tensor, y: torch.Tensor) -> None:
        """Keep the pairs ``(x, y)`` (detached) for the next step."""
        self._batch = (x.detach().float(), y.detach().float())

    def estimator_step(self, optimizer: torch.optim.Optimizer
                       ) -> Optional[Dict[str, float]]:
        """One maximum-likelihood step of ``q`` on the observed pairs."""
        batch, self._batch = self._batch, None
        if batch is None:
            return None
        self.requires_grad_(True)
        try:
            with torch.enable_grad():
                loss = -self.log_likelihood(*batch)
                if not torch.isfinite(loss):
                    return dict(skipped=True)
                optimizer.zero_grad()
                loss.backward()
                grads = [p.grad for p in self.parameters()
                         if p.grad is not None]
                if not all(torch.isfinite(g).all() for g in grads):
                    optimizer.zero_grad()
                    return dict(skipped=True)
                optimizer.step()
        finally:
            self.requires_grad_(False)
        return dict(loss=loss.item())
