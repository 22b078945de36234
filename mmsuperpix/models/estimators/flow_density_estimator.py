"""DDFP's feature density model: a RealNVP/GLOW flow with a class-wise
Gaussian-mixture latent prior (Wang et al., CVPR 2024)."""
import math
from typing import Dict, Optional, Tuple

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.registry import MODELS
from .glow_coupling import GLOWCoupling

UNLABELED = -1


@MODELS.register_module()
class FlowDensityEstimator(nn.Module):
    """Normalizing-flow density of per-pixel features, as in DDFP.

    The flow is ``num_blocks`` :class:`GLOWCoupling` blocks (each with its
    own fixed permutation, seeded ``seed + k`` for block ``k``). The latent
    prior is a mixture of ``K = num_components`` unit-covariance Gaussians
    with uniform weights, one per class, whose means ``(K, C)`` start as
    ``randn`` and are learnable by default. With ``z, logdet = forward(x)``
    and ``log N_k(z) = -0.5 ||z - mu_k||^2 - 0.5 C log(2 pi)``:

    - a pixel of class ``c``: ``log p(x) = log N_c(z) + logdet``;
    - an unlabeled pixel (label ``-1``; DDFP's code uses 300 for this):
      ``log p(x) = logsumexp_k log N_k(z) - log K + logdet``.

    Every flow parameter is re-initialised to ``init_std * randn`` (DDFP's
    code does so); the prior means are not (they stay ``randn``). Parameter
    initialisation draws from its own generator seeded with ``seed`` (the
    global torch RNG is left where it was, so adding a flow to a model does
    not change the other modules' initial weights); the permutations use
    generators seeded ``seed + k``.

    The flow is trained with its own optimizer (see :meth:`make_optimizer`
    and :meth:`train_step`) on detached features: its parameters must not
    be in the segmentor's optimizer, or must receive no gradient there.

    Args:
        in_channels (int): Feature dimension ``C``. Defaults to 256.
        num_blocks (int): Number of coupling blocks. Defaults to 2.
        hidden_channels (int): Subnet width. Defaults to 256.
        clamp (float): Soft clamp of the log-scales. Defaults to 2.0.
        num_components (int): Mixture components ``K`` (one per class).
            Defaults to 21.
        init_std (float): Std of the flow parameters' init. Defaults to 0.05.
        learnable_means (bool): Whether the means are an ``nn.Parameter``
            (else a buffer). Defaults to True.
        seed (int): Seed of the initial weights and base seed of the
            permutations. Defaults to 0.
    """

    def __init__(self,
                 in_channels: int = 256,
                 num_blocks: int = 2,
                 hidden_channels: int = 256,
                 clamp: float = 2.0,
                 num_components: int = 21,
                 init_std: float = 0.05,
                 learnable_means: bool = True,
                 seed: int = 0) -> None:
        super().__init__()
        if num_blocks < 1:
            raise ValueError(f'num_blocks must be >= 1, got {num_blocks}')
        if num_components < 1:
            raise ValueError(
                f'num_components must be >= 1, got {num_components}')
        if not (math.isfinite(init_std) and init_std >= 0):
            raise ValueError(f'init_std must be finite and >= 0, '
                             f'got {init_std}')
        self.in_channels = in_channels
        self.num_components = num_components
        # own random stream: building the flow must not move the global RNG,
        # so one seed gives the same student with or without a flow
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.blocks = nn.ModuleList(
                GLOWCoupling(in_channels, hidden_channels, clamp, seed + k)
                for k in range(num_blocks))
            with torch.no_grad():
                for param in self.blocks.parameters():
                    param.normal_(0.0, init_std)
            means = torch.randn(num_components, in_channels)
        if learnable_means:
            self.means = nn.Parameter(means)
        else:
            self.register_buffer('means', means)

    # ------------------------------------------------------------- checks
    def _check_features(self, x: torch.Tensor, name: str = 'x',
                        check_finite: bool = True) -> None:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f'{name} must be a Tensor, got {type(x)}')
        if x.dim() != 2:
            raise ValueError(f'{name} must be 2-D (P, C) with '
                             f'C={self.in_channels}, got shape '
                             f'{tuple(x.shape)}')
        if x.shape[1] != self.in_channels:
            raise ValueError(f'{name} has {x.shape[1]} channels but the '
                             f'estimator expects in_channels='
                             f'{self.in_channels} (shape {tuple(x.shape)})')
        if not x.is_floating_point():
            raise TypeError(f'{name} must be floating point, got {x.dtype}')
        if check_finite and not bool(torch.isfinite(x).all()):
            raise ValueError(f'{name} contains NaN or Inf values')

    def _check_labels(self, labels: torch.Tensor, num: int) -> None:
        if not isinstance(labels, torch.Tensor):
            raise TypeError(f'labels must be a Tensor, got {type(labels)}')
        if labels.dim() != 1 or labels.shape[0] != num:
            raise ValueError(f'labels must be 1-D of length {num} (one per '
                             f'feature row), got shape '
                             f'{tuple(labels.shape)}')
        if labels.is_floating_point() or labels.is_complex() or \
                labels.dtype == torch.bool:
            raise TypeError(f'labels must be an integer tensor, got '
                            f'{labels.dtype}')
        bad = (labels < UNLABELED) | (labels >= self.num_components)
        if bool(bad.any()):
            bad = labels[bad].unique()
            raise ValueError(
                f'labels must be in [0, {self.num_components - 1}] or '
                f'{UNLABELED} (unlabeled); got {bad.tolist()[:10]}')

    # -------------------------------------------------------------- flow
    def _flow(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        logdet = x.new_zeros(x.shape[0])
        for block in self.blocks:
            x, block_logdet = block(x)
            logdet = logdet + block_logdet
        return x, logdet

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Map features to the latent space.

        Args:
            x (Tensor): Features ``(P, C)``.

        Returns:
            tuple[Tensor, Tensor]: Latents ``z`` ``(P, C)`` and
            ``log|det dz/dx|`` ``(P,)``.
        """
        self._check_features(x)
        return self._flow(x)

    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        """Map latents back to features (exact inverse of :meth:`forward`).

        Args:
            z (Tensor): Latents ``(P, C)``.

        Returns:
            Tensor: Features ``x`` ``(P, C)``.
        """
        self._check_features(z, name='z')
        for block in reversed(self.blocks):
            z = block.inverse(z)
        return z

    # ------------------------------------------------------------ density
    def _component_log_probs(self, z: torch.Tensor) -> torch.Tensor:
        """``log N(z; mu_k, I)`` for every component, ``(P, K)``."""
        means = self.means.to(z.dtype)
        sq = ((z * z).sum(1, keepdim=True) - 2.0 * z @ means.t() +
              (means * means).sum(1)[None]).clamp_min(0.0)
        return -0.5 * sq - 0.5 * self.in_channels * math.log(2 * math.pi)

    def _log_prob(self, x: torch.Tensor,
                  labels: Optional[torch.Tensor]) -> torch.Tensor:
        z, logdet = self._flow(x)
        num = x.shape[0]
        if labels is None:
            labels = torch.full((num, ), UNLABELED, dtype=torch.long,
                                device=x.device)
        labeled = labels >= 0
        prior = z.new_zeros(num)
        if bool(labeled.any()):
            # a one-hot product, not means[labels]: the gradient of an
            # indexed read with repeated indices is accumulated in a
            # thread-dependent order on CPU, a matmul is not
            picks = F.one_hot(labels.clamp_min(0), self.num_components)
            diff = z - picks.to(z.dtype) @ self.means.to(z.dtype)
            class_lp = -0.5 * (diff * diff).sum(1) - \
                0.5 * self.in_channels * math.log(2 * math.pi)
            prior = torch.where(labeled, class_lp, prior)
        if not bool(labeled.all()):
            mix_lp = torch.logsumexp(self._component_log_probs(z), dim=1) - \
                math.log(self.num_components)
            prior = torch.where(labeled, prior, mix_lp)
        return prior + logdet

    def log_prob(self, x: torch.Tensor,
                 labels: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Log-density of each feature row.

        Args:
            x (Tensor): Features ``(P, C)``.
            labels (Tensor, optional): Integer classes ``(P,)`` in
                ``[0, K)``, or ``-1`` for unlabeled rows (mixture density).
                None means every row is unlabeled.

        Returns:
            Tensor: ``log p(x)`` of shape ``(P,)``.
        """
        self._check_features(x)
        if labels is not None:
            self._check_labels(labels, x.shape[0])
        return self._log_prob(x, labels)

    def nll(self, x: torch.Tensor,
            labels: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Mean negative log-likelihood ``-(log p(x)).mean()`` (scalar).

        Args:
            x (Tensor): Features ``(P, C)``, ``P > 0``.
            labels (Tensor, optional): As in :meth:`log_prob`.

        Returns:
            Tensor: Scalar mean NLL.
        """
        if isinstance(x, torch.Tensor) and x.dim() == 2 and x.shape[0] == 0:
            raise ValueError('nll needs at least one feature row')
        return -self.log_prob(x, labels).mean()

    def class_log_likelihoods(self, x: torch.Tensor) -> torch.Tensor:
        """Per-component ``log N(z; mu_k, I) + logdet``.

        ``argmax`` over ``K`` classifies the rows by density.

        Args:
            x (Tensor): Features ``(P, C)``.

        Returns:
            Tensor: ``(P, K)`` class-conditional log-likelihoods.
        """
        self._check_features(x)
        z, logdet = self._flow(x)
        return self._component_log_probs(z) + logdet[:, None]

    # ----------------------------------------------------------- training
    def make_optimizer(self,
                       lr: float = 1e-3,
                       betas: Tuple[float, float] = (0.5, 0.9)
                       ) -> torch.optim.Optimizer:
        """DDFP's flow optimizer: Adam over this module's parameters."""
        return torch.optim.Adam(self.parameters(), lr=lr, betas=betas)

    def train_step(self,
                   features: torch.Tensor,
                   labels: Optional[torch.Tensor],
                   optimizer: torch.optim.Optimizer,
                   max_pixels: int = 20480,
                   noise_std: float = 0.05,
                   max_grad_norm: Optional[float] = 50.0) -> Dict:
        """One DDFP flow update on (detached) features.

        Draws up to ``max_pixels`` rows uniformly without replacement, adds
        ``noise_std`` Gaussian noise, computes :meth:`nll` and, when the
        input, the loss and every gradient are finite, clips the gradient
        norm to ``max_grad_norm`` and steps ``optimizer`` (which should hold
        only this module's parameters, see :meth:`make_optimizer`).
        Otherwise the step is skipped: gradients are zeroed and the weights
        are left untouched. In distributed runs the gradients are averaged
        over ranks and a step is skipped everywhere if it is skipped on any
        rank (every rank takes part in the same collectives).

        Args:
            features (Tensor): Features ``(P, C)``; detached here.
            labels (Tensor, optional): ``(P,)`` classes or ``-1``; None
                means all unlabeled.
            optimizer (Optimizer): The flow's optimizer.
            max_pixels (int): Rows per step. Defaults to 20480.
            noise_std (float): Input noise std. Defaults to 0.05.
            max_grad_norm (float, optional): Clip bound; None disables
                clipping. Defaults to 50.0.

        Returns:
            dict: ``loss`` (float, NaN when skipped before the forward pass)
            and ``skipped`` (bool).
        """
        self._check_features(features, name='features', check_finite=False)
        if features.shape[0] == 0:
            raise ValueError('train_step needs at least one feature row')
        if labels is not None:
            self._check_labels(labels, features.shape[0])
        if max_pixels < 1:
            raise ValueError(f'max_pixels must be >= 1, got {max_pixels}')
        param = next(self.parameters())
        feats = features.detach().to(param.dtype)
        if feats.shape[0] > max_pixels:
            idx = torch.randperm(feats.shape[0],
                                 device=feats.device)[:max_pixels]
            feats = feats[idx]
            labels = labels[idx] if labels is not None else None
        optimizer.zero_grad(set_to_none=True)
        self.zero_grad(set_to_none=True)
        finite_input = bool(torch.isfinite(feats).all())
        if not finite_input:  # keep collectives aligned across ranks
            feats = torch.zeros_like(feats)
        if noise_std > 0:
            feats = feats + noise_std * torch.randn_like(feats)
        loss = -self._log_prob(feats, labels).mean()
        loss.backward()
        params = [p for p in self.parameters() if p.grad is not None]
        distributed = dist.is_available() and dist.is_initialized() and \
            dist.get_world_size() > 1
        if distributed:  # average over ranks: a NaN anywhere reaches all
            for p in params:
                dist.all_reduce(p.grad)
                p.grad /= dist.get_world_size()
        # the gradient norm is finite iff every gradient is: one check (and
        # one host sync) instead of one per parameter
        grad_norm = torch.nn.utils.clip_grad_norm_(
            params, math.inf if max_grad_norm is None else max_grad_norm)
        finite = (torch.isfinite(loss.detach()) & torch.isfinite(grad_norm)
                  & bool(finite_input)).float()
        if distributed:  # skip everywhere if skipped on any rank
            dist.all_reduce(finite, op=dist.ReduceOp.MIN)
        loss_value = float(loss.detach()) if finite_input else float('nan')
        if not bool(finite):
            optimizer.zero_grad(set_to_none=True)
            self.zero_grad(set_to_none=True)
            return dict(loss=loss_value, skipped=True)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return dict(loss=loss_value, skipped=False)
