"""The terms of the unsupervised superpixel objective on hand-made cases."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmsuperpix.models.losses import (EdgeAwareSmoothnessLoss,
                                      LaplacianEdgeLoss, RIMClusteringLoss,
                                      UnsupervisedSuperpixelLoss)


def one_hot(labels, n):
    return F.one_hot(labels, n).permute(0, 3, 1, 2).float()


def test_clustering_is_minimal_for_confident_balanced_assignments():
    n, lam = 4, 2.0
    loss = RIMClusteringLoss(lam)
    balanced = one_hot(torch.arange(16).view(1, 4, 4) % n, n)
    one_superpixel = one_hot(torch.zeros(1, 4, 4, dtype=torch.long), n)
    uniform = torch.full((1, n, 4, 4), 1.0 / n)
    random = torch.rand(1, n, 4, 4).softmax(1)
    best = loss(balanced)
    assert best.shape == (1, )
    assert best.item() == pytest.approx(-lam * math.log(n), abs=1e-5)
    assert loss(one_superpixel).item() == pytest.approx(0.0, abs=1e-5)
    assert loss(uniform).item() == pytest.approx((1 - lam) * math.log(n),
                                                 abs=1e-5)
    assert loss(random).item() > best.item()


def test_smoothness_is_cheaper_across_image_edges():
    loss = EdgeAwareSmoothnessLoss(sigma=8.0)
    image = torch.zeros(1, 3, 6, 6)
    image[..., 3:] = 4.0  # a vertical image edge between columns 2 and 3
    labels = torch.zeros(1, 6, 6, dtype=torch.long)
    labels[..., 3:] = 1
    at_edge = one_hot(labels, 2)
    off_edge = one_hot(labels.roll(-2, dims=2), 2)  # boundary in flat area
    constant = one_hot(torch.zeros(1, 6, 6, dtype=torch.long), 2)
    assert loss(constant, image).item() == 0.0
    # one boundary column of 6 rows, |dP|_1 = 2, over 6 * 5 x-pairs
    weight = math.exp(-3 * 16.0 / 8.0)
    assert loss(at_edge, image).item() == pytest.approx(
        2 * 6 * weight / 30, rel=1e-5)
    assert loss(off_edge, image).item() > loss(at_edge, image).item()


@pytest.mark.parametrize('softmax_dim', ['image', 'channel', 'width'])
def test_edge_kl_is_zero_for_identical_images(softmax_dim):
    torch.manual_seed(0)
    image = torch.rand(2, 3, 8, 9)
    loss = LaplacianEdgeLoss(softmax_dim)
    assert torch.allclose(loss(image, image), torch.zeros(2), atol=1e-6)
    other = torch.rand(2, 3, 8, 9)
    assert (loss(image, other) > 1e-4).all()


def test_edge_kl_is_a_true_kl_and_the_authors_variant_is_not():
    torch.manual_seed(0)
    a, b = torch.rand(1, 3, 6, 6), torch.rand(1, 3, 6, 6)
    true = LaplacianEdgeLoss('image')(a, b)
    lap = LaplacianEdgeLoss('image')
    p = lap._scaled_laplacian(a).softmax(-1)
    q = lap._scaled_laplacian(b).softmax(-1)
    expected = (p * (p.log() - q.log())).sum()
    assert true.item() == pytest.approx(expected.item(), rel=1e-5)
    official = LaplacianEdgeLoss('image', log_input=False)
    # torch's kl_div(q, p, 'batchmean') with probabilities passed as input
    quirk = F.kl_div(q, p, reduction='batchmean')
    assert official(a, b).item() == pytest.approx(quirk.item(), rel=1e-5)
    assert official(a, a).item() != pytest.approx(0.0, abs=1e-3)


def test_objective_terms_and_switches():
    torch.manual_seed(0)
    logits = torch.randn(2, 5, 8, 8, requires_grad=True)
    recon = torch.randn(2, 3, 8, 8, requires_grad=True)
    image = torch.randn(2, 3, 8, 8)
    full = UnsupervisedSuperpixelLoss()(logits, recon, image)
    assert set(full) == {'loss_clustering', 'loss_smoothness', 'loss_recon',
                         'loss_edge'}
    assert all(v.shape == (2, ) for v in full.values())
    sum(full.values()).sum().backward()
    assert torch.isfinite(logits.grad).all() and logits.grad.abs().sum() > 0
    rim = UnsupervisedSuperpixelLoss(eta=0, soft_image_recon=False)(
        logits, recon, image)
    assert 'loss_edge' not in rim
    plain_mse = 10 * ((recon - image)**2).flatten(1).mean(1)
    assert torch.allclose(rim['loss_recon'], plain_mse)
    assert (full['loss_recon'] > rim['loss_recon']).all()


def test_edge_loss_rejects_unknown_axis_and_shapes():
    with pytest.raises(ValueError, match='softmax_dim'):
        LaplacianEdgeLoss('rows')
    with pytest.raises(ValueError, match='differ in shape'):
        LaplacianEdgeLoss()(torch.rand(1, 3, 4, 4), torch.rand(1, 3, 4, 5))
