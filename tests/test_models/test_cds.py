"""CDS (Xu et al., AAAI 2024): the content selective gate, the local-grid
correlation alignment, the CLUB bound and its estimator, the gradient
modality, and the segmentor's training step."""
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmsuperpix.datasets.transforms import (GradientModality,
                                            PackSuperpixelInputs)
from mmsuperpix.models.estimators import CLUBEstimator
from mmsuperpix.models.losses import LocalGridCorrelationAlignmentLoss
from mmsuperpix.models.utils import ContentSelectiveGate
from mmsuperpix.registry import MODELS


def test_gate_splits_the_input_into_content_and_style():
    x = torch.randn(2, 8, 5, 6)
    content, style = ContentSelectiveGate(8)(x)
    torch.testing.assert_close(content + style, x)
    # one gate value per image and channel, in (0, 1)
    ratio = style / x
    assert torch.allclose(ratio, ratio[..., :1, :1].expand_as(ratio),
                          atol=1e-5)
    assert ((ratio > 0) & (ratio < 1)).all()


def test_alignment_is_zero_for_identical_modalities_only():
    loss = LocalGridCorrelationAlignmentLoss(cell_size=4)
    a = torch.randn(2, 6, 8, 12, requires_grad=True)
    assert loss(a, a.detach().clone()).item() == pytest.approx(0, abs=1e-7)
    b = torch.randn(2, 6, 8, 12, requires_grad=True)
    value = loss(a, b)
    assert value.item() > 0
    value.backward()
    assert a.grad.abs().sum() > 0 and b.grad.abs().sum() > 0
    # constant within cells: the per-cell channel means are what counts
    cells = torch.randn(1, 6, 2, 3)
    up = cells.repeat_interleave(4, 2).repeat_interleave(4, 3)
    p, q = cells.softmax(1), (2 * cells).softmax(1)
    expected = (p * (p.log() - q.log())).sum(1).mean()
    torch.testing.assert_close(loss(up, 2 * up), expected)
    with pytest.raises(ValueError, match='multiple of the cell size'):
        loss(torch.randn(1, 6, 6, 8), torch.randn(1, 6, 6, 8))


def gaussian_pairs(dependent: bool, n=256, dim=4, seed=0):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, dim, generator=gen)
    noise = torch.randn(n, dim, generator=gen)
    # y = x + noise: I(x; y) = dim/2 log 2 nats; independent: 0
    return x, (x + noise if dependent else noise)


def fitted_bound(dependent: bool, steps=300):
    torch.manual_seed(0)
    club = CLUBEstimator(4, 4, hidden_channels=16,
                         optimizer=dict(type='Adam', lr=1e-2))
    optimizer = torch.optim.Adam(club.parameters(), lr=1e-2)
    losses = []
    for step in range(steps):  # fresh pairs each step, as training does
        club.observe(*gaussian_pairs(dependent, seed=step + 1))
        losses.append(club.estimator_step(optimizer)['loss'])
    assert not any(p.requires_grad for p in club.parameters())
    return float(club(*gaussian_pairs(dependent, seed=0))), losses


def test_club_bound_separates_dependent_from_independent_pairs():
    dependent, losses = fitted_bound(True)
    independent, _ = fitted_bound(False)
    assert losses[-1] < losses[0] - 1.0  # the estimator learns q(y|x)
    assert dependent >= 4 / 2 * np.log(2)  # an upper bound of 1.39 nats
    assert abs(independent) < 0.1  # of 0
    # the vectorised bound equals the pairwise definition
    club = CLUBEstimator(4, 4)
    x, y = gaussian_pairs(True, n=16)
    mu, logvar = club.mu(x), club.logvar(x)
    pos = -((mu - y)**2 / 2 / logvar.exp()).sum(1)
    neg = -(((y[None] - mu[:, None])**2).mean(1) / 2 / logvar.exp()).sum(1)
    torch.testing.assert_close(club(x, y), (pos - neg).mean())
    assert club.estimator_step(torch.optim.Adam(club.parameters())) is None


def test_gradient_modality_on_a_step_image():
    img = np.zeros((6, 8, 3), np.uint8)
    img[:, 4:] = 255  # a vertical step between columns 3 and 4
    results = GradientModality(mean=(0, 0, 0))(dict(img=img))
    aux = results['aux_img']
    assert aux.shape == (6, 8, 3) and aux.dtype == np.float32
    assert (aux[..., 0] == aux[..., 1]).all()
    # signed Sobel-x + Sobel-y of the channel sum (3 at the bright side):
    # inside rows, columns 3 and 4 see the step with weight 1 + 2 + 1
    g = aux[..., 0]
    assert g[2, 3] == pytest.approx(12) and g[2, 4] == pytest.approx(12)
    assert g[2, 1] == 0 and g[2, 6] == 0
    packed = PackSuperpixelInputs()(dict(
        img=img, aux_img=aux, img_shape=(6, 8), ori_shape=(6, 8)))
    assert packed['data_samples'].aux_img.data.shape == (3, 6, 8)
    with pytest.raises(ValueError, match='3 values'):
        GradientModality(mean=(0, 0))


def small_model(**cfg):
    """A CDS-backbone model with 8 channels (the given segmentor type and
    head)."""
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(dict(
        data_preprocessor=dict(type='SegDataPreProcessor',
                               mean=[104.8, 110.2, 114.8],
                               std=[255.0, 255.0, 255.0], bgr_to_rgb=True),
        backbone=dict(type='CDSEncoderDecoder',
                      embedder=dict(type='CDSEmbedder', channels=8,
                                    out_channels=8), channels=8),
        **cfg))
    model.init_weights()
    return model


def cds_model():
    return small_model(
        type='CDSSegmentor',
        decode_head=dict(type='AssociationHead', in_channels=8),
        aux_embedder=dict(type='CDSEmbedder', channels=8, out_channels=8),
        estimator=dict(type='CLUBEstimator', x_dim=8, y_dim=8))


def samples(aux=True):
    out = []
    for i in range(2):
        labels = (torch.arange(32)[:, None] // 8 * 4 +
                  torch.arange(32) // 8 + i) % 5
        sample = SegDataSample(gt_sem_seg=PixelData(data=labels[None]))
        if aux:
            sample.aux_img = PixelData(data=torch.randn(3, 32, 32))
        out.append(sample)
    return out


def test_segmentor_trains_both_branches_and_the_estimator():
    model = cds_model().train()
    inputs = torch.randn(2, 3, 32, 32)
    losses = model.loss(inputs, samples())
    assert set(losses) == {'loss_sem', 'loss_pos', 'aux_loss_sem',
                           'aux_loss_pos', 'loss_club', 'loss_align'}
    sum(losses.values()).backward()
    assert model.aux_embedder.refine[0].weight.grad.abs().sum() > 0
    assert model.backbone.gate.gate[0].weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.estimator.parameters())
    step = model.estimator.estimator_step(
        torch.optim.Adam(model.estimator.parameters(), 5e-4))
    assert np.isfinite(step['loss'])
    with pytest.raises(KeyError, match='GradientModality'):
        model.loss(inputs, samples(aux=False))
    # inference is the RGB branch alone
    labels, assoc = model.eval().predict_superpixel_batch(inputs, 4)
    assert labels.shape == (2, 32, 32) and assoc.shape[1] == 9


def test_needs_a_gated_backbone():
    init_default_scope('mmseg')
    with pytest.raises(TypeError, match='CDSEncoderDecoder'):
        MODELS.build(dict(type='CDSSegmentor',
                          backbone=dict(type='SCNEncoderDecoder')))


def test_the_clustering_head_composes_with_the_cds_backbone():
    model = small_model(
        type='SuperpixelSegmentor',
        decode_head=dict(type='DifferentiableSLICHead', in_channels=8,
                         embed_channels=4))
    labels, assoc = model.eval().predict_superpixel_batch(
        torch.randn(1, 3, 30, 45), 12)
    assert labels.shape == (1, 30, 45) and assoc.shape[1] == 9
    assert model.train().loss(torch.randn(2, 3, 32, 32),
                              samples(aux=False))['loss_sem'] > 0
