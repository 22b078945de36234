"""SCN's reconstruction loss and AINet's boundary-perceiving loss."""
import math

import pytest
import torch

from mmsuperpix.models import (BoundaryPerceivingLoss,
                               SuperpixelReconstructionLoss)
from mmsuperpix.models.losses.boundary_perceiving_loss import boundary_mask
from mmsuperpix.ops import pool_by_association, unpool_by_association


def dense_scn_loss(assoc, labels, s, m=0.003, w=0.005):
    """SCN's loss written as in the paper: dense one-hot + xy features."""
    n, _, hh, ww = assoc.shape
    ids = labels.unique()
    onehot = (labels[:, None] == ids[None, :, None, None]).to(assoc.dtype)
    ys, xs = torch.meshgrid(torch.arange(hh), torch.arange(ww),
                            indexing='ij')
    xy = torch.stack([xs, ys])[None].expand(n, -1, -1, -1).to(assoc.dtype)
    feat = torch.cat([onehot, xy], 1)
    rec = unpool_by_association(pool_by_association(feat, assoc, s), assoc, s)
    sem = -(torch.log(rec[:, :-2] + 1e-8) * onehot).sum() / n
    pos = (rec[:, -2:] - xy).norm(dim=1).sum() / n * m / s
    return w * sem, w * pos


def test_reconstruction_loss_equals_the_dense_formulation():
    torch.manual_seed(0)
    assoc = torch.randn(2, 9, 16, 24, dtype=torch.float64).softmax(1)
    labels = torch.randint(0, 6, (2, 16, 24)) * 3
    got = SuperpixelReconstructionLoss(cell_size=8)(assoc, labels)
    sem, pos = dense_scn_loss(assoc, labels, 8)
    torch.testing.assert_close(got['loss_sem'], sem)
    torch.testing.assert_close(got['loss_pos'], pos)


def test_perfect_grid_reconstruction():
    """Centre-only association and labels equal to the cells: the labels come
    back exactly and every pixel's position becomes its cell centroid."""
    s = 4
    assoc = torch.zeros(1, 9, 8, 8, dtype=torch.float64)
    assoc[:, 4] = 1
    cells = (torch.arange(8)[:, None] // s) * 2 + torch.arange(8) // s
    out = SuperpixelReconstructionLoss(cell_size=s, loss_weight=1.0)(
        assoc, cells[None])
    # each cell: 16 pixels of one label -> p = 16 / (16 + eps)
    expected = -64 * math.log(16 / (16 + 1e-8) + 1e-8)
    assert out['loss_sem'].item() == pytest.approx(expected, rel=1e-6)
    offsets = torch.arange(s, dtype=torch.float64) - 1.5  # centroid 1.5
    per_cell = (offsets[:, None]**2 + offsets[None]**2).sqrt().sum()
    assert out['loss_pos'].item() == pytest.approx(4 * per_cell.item() *
                                                   0.003 / s)


def slow_bpl(embedding, labels, image, pixels):
    """AINet's patch_classify, one window at a time, on given windows."""
    num, c = embedding.shape[:2]
    per_image = [[] for _ in range(num)]
    for b, pix in zip(image.tolist(), pixels):
        lab = labels[b].flatten()[pix]
        emb = embedding[b].flatten(1)[:, pix]
        masks = []
        for value in lab.unique():  # sorted, exactly two
            idx = torch.nonzero(lab == value)[:, 0]
            half = len(idx) // 2
            for part in (idx[:half], idx[half:]):
                mask = torch.zeros(len(lab), dtype=emb.dtype)
                mask[part] = 1
                masks.append(mask)
        f = [(emb * m).sum(1) / (m.sum() + 1) for m in masks]

        def sim(x, y):
            return 2 / (1 + torch.exp((x - y).abs().sum()))

        same = -(torch.log(sim(f[0], f[1]) + 1e-8) +
                 torch.log(sim(f[2], f[3]) + 1e-8)) / 2
        cross = -(torch.log(1 - sim(f[0], f[2]) + 1e-8) +
                  torch.log(1 - sim(f[1], f[3]) + 1e-8)) / 2
        per_image[b].append(same + cross)
    return sum(torch.stack(v).mean() for v in per_image if v) / num


@pytest.fixture
def two_region_batch():
    g = torch.Generator().manual_seed(0)
    labels = torch.zeros(2, 24, 24, dtype=torch.long)
    labels[0, :, 11:] = 4
    labels[1, 9:, :] = 2
    labels[1, 15:, 12:] = 7  # a T-junction: some windows hold 3 labels
    return torch.randn(2, 3, 24, 24, generator=g, dtype=torch.float64,
                       requires_grad=True), labels


def test_bpl_matches_the_windowwise_reference(two_region_batch):
    embedding, labels = two_region_batch
    loss = BoundaryPerceivingLoss(loss_weight=1.0)
    torch.manual_seed(1)
    image, pixels = loss.sample_windows(labels)
    torch.manual_seed(1)
    got = loss(embedding, labels)
    torch.testing.assert_close(got, slow_bpl(embedding, labels, image,
                                             pixels))
    got.backward()
    assert embedding.grad.abs().sum() > 0


def test_bpl_window_sampling_rules(two_region_batch):
    _, labels = two_region_batch
    loss = BoundaryPerceivingLoss()
    image, pixels = loss.sample_windows(labels)
    edge = boundary_mask(labels)
    quota = (edge.flatten(1).sum(1) // 5).clamp(max=500)
    assert torch.equal(torch.bincount(image, minlength=2),
                       torch.minimum(quota, torch.tensor([14, 100])))
    for b, pix in zip(image.tolist(), pixels):
        assert len(labels[b].flatten()[pix].unique()) == 2
        centre = pix[12]
        y, x = divmod(centre.item(), 24)
        assert edge[b, y, x] and 5 <= y < 19 and 5 <= x < 19


def test_bpl_of_an_all_zero_embedding_is_the_cross_term():
    labels = torch.zeros(1, 24, 24, dtype=torch.long)
    labels[0, :, 12:] = 1
    out = BoundaryPerceivingLoss(loss_weight=1.0)(torch.zeros(1, 4, 24, 24),
                                                  labels)
    assert out.item() == pytest.approx(-math.log(1e-8), rel=1e-5)


def test_bpl_without_boundaries_is_zero_with_a_graph():
    emb = torch.randn(1, 4, 24, 24, requires_grad=True)
    out = BoundaryPerceivingLoss()(emb, torch.zeros(1, 24, 24,
                                                    dtype=torch.long))
    assert out.item() == 0
    out.backward()
