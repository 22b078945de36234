"""The NeuralEF objective of Deng et al. (ICCV 2023), eq. 5."""
import torch
import torch.nn as nn

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class NeuralEFLoss(nn.Module):
    """Learn the top-``K`` eigenfunctions of a kernel with a network.

    With ``Psi`` the network's outputs on the batch's tokens, scaled by
    ``sqrt(t)``, ``R = Psi^T kappa Psi`` and ``R_hat = sg(Psi)^T kappa Psi``
    (``sg`` stops the gradient):
    ``loss = -tr(R) / K + beta * sum_{i<j} R_hat_ij^2 / K``. The stop
    gradient makes eigenfunction ``j`` orthogonal only to those before it,
    so the outputs come out ordered by eigenvalue (NeuralEF, Deng et al.,
    ICML 2022). The paper's constraint ``E[psi o psi] = 1`` is the caller's:
    the NeuralEF head divides its outputs by their L2 norm over the tokens.

    Mind the names: ``beta`` is the paper's (the public code's ``--alpha``);
    the paper's ``alpha`` weighs the pixel graph of the kernel.

    Args:
        beta (float): Weight of the orthogonality penalty (paper: 0.08 for
            ``K = 256``, 0.04 for ``K = 512``).
        t (float): Output scale. Defaults to 0.01.
        loss_weight (float): Defaults to 1.0.

    Shapes:
        psi ``(M, K)``, kernel ``(M, M)`` -> a scalar.
    """

    def __init__(self, beta: float = 0.08, t: float = 0.01,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.beta, self.t, self.loss_weight = beta, t, loss_weight

    def forward(self, psi: torch.Tensor,
                kernel: torch.Tensor) -> torch.Tensor:
        if psi.dim() != 2 or kernel.shape != (len(psi), len(psi)):
            raise ValueError(f'need psi (M, K) and a kernel (M, M), got '
                             f'{tuple(psi.shape)} and {tuple(kernel.shape)}')
        num = psi.shape[1]
        psi = psi.float() * self.t**0.5
        kernel_psi = kernel.float() @ psi  # (M, K)
        r = psi.T @ kernel_psi
        r_hat = psi.detach().T @ kernel_psi
        upper = torch.triu(r_hat, diagonal=1)
        loss = -torch.diagonal(r).sum() / num + \
            self.beta * upper.square().sum() / num
        return self.loss_weight * loss
