"""The NeuralEF objective recovers a kernel's top eigenvectors in order."""
import pytest
import torch

from mmsuperpix.models.losses import NeuralEFLoss


def test_recovers_top_eigenvectors_in_order():
    torch.manual_seed(0)
    m, k = 24, 3
    basis, _ = torch.linalg.qr(torch.randn(m, m))
    eigenvalues = torch.linspace(1.0, 0.05, m)
    kernel = basis @ torch.diag(eigenvalues) @ basis.T
    params = torch.randn(m, k, requires_grad=True)
    loss_fn = NeuralEFLoss(beta=1.0, t=1.0)
    optimizer = torch.optim.Adam([params], lr=0.02)
    for _ in range(1500):
        psi = params / params.norm(dim=0, keepdim=True)  # E[psi^2] fixed
        loss = loss_fn(psi, kernel)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    psi = params.detach() / params.detach().norm(dim=0, keepdim=True)
    _, vectors = torch.linalg.eigh(kernel)
    top = vectors[:, -k:].flip(1)  # descending eigenvalues
    cosine = (psi * top).sum(0).abs()
    assert torch.all(cosine > 0.99), cosine


def test_value_and_stop_gradient():
    psi = torch.tensor([[1., 0.], [0., 1.]], requires_grad=True)
    kernel = torch.tensor([[2., 1.], [1., 3.]])
    loss = NeuralEFLoss(beta=0.5, t=1.0)(psi, kernel)
    # R = kernel; -(2 + 3) / 2 + 0.5 * 1^2 / 2
    assert loss.item() == pytest.approx(-2.25)
    loss.backward()
    # the penalty reaches psi_2 (column 1) through R_hat, never psi_1
    only_trace = -torch.tensor([[2., 1.], [1., 3.]]) @ torch.eye(2)
    assert torch.allclose(psi.grad[:, 0], only_trace[:, 0])


def test_shape_errors():
    with pytest.raises(ValueError, match=r'psi \(M, K\)'):
        NeuralEFLoss()(torch.zeros(3, 2), torch.zeros(2, 2))
