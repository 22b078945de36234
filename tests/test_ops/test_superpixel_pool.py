"""Hard superpixel pooling against numpy, invariants and gradients."""
import numpy as np
import pytest
import torch

from mmsuperpix.ops import (compact_superpixel_ids, superpixel_mean,
                            superpixel_pool)


def numpy_means(feat, labels):
    """Per-superpixel means broadcast back, pixels with label < 0 kept."""
    out = feat.copy()
    for n in range(feat.shape[0]):
        for label in np.unique(labels[n]):
            if label < 0:
                continue
            mask = labels[n] == label
            out[n][:, mask] = feat[n][:, mask].mean(1, keepdims=True)
    return out


def test_constant_map_is_identity():
    feat = torch.full((2, 3, 8, 10), 2.5)
    labels = torch.randint(0, 7, (2, 8, 10))
    assert torch.equal(superpixel_mean(feat, labels), feat)


@pytest.mark.parametrize('high', [5, 10**7])  # small ids / huge ids
def test_pool_unpool_equals_numpy_means(high):
    rng = np.random.default_rng(0)
    feat = rng.normal(size=(2, 4, 9, 11)).astype(np.float32)
    labels = rng.choice([-1, 0, 3, high], size=(2, 9, 11))  # gaps, padding
    out = superpixel_mean(torch.from_numpy(feat), torch.from_numpy(labels))
    np.testing.assert_allclose(out.numpy(), numpy_means(feat, labels),
                               rtol=1e-5, atol=1e-6)


def test_single_superpixel_and_one_per_pixel():
    feat = torch.randn(1, 3, 5, 6)
    one = superpixel_mean(feat, torch.zeros(1, 5, 6, dtype=torch.long))
    assert torch.allclose(one, feat.mean((2, 3), keepdim=True).expand_as(feat))
    ids = torch.arange(30).view(1, 5, 6) * 1000  # distinct, gapped
    assert torch.allclose(superpixel_mean(feat, ids), feat)


def test_all_unlabelled_pixels_keep_their_features():
    feat = torch.randn(1, 2, 4, 4)
    out = superpixel_mean(feat, torch.full((1, 4, 4), -1))
    assert torch.equal(out, feat)


def test_images_are_pooled_separately():
    feat = torch.stack([torch.zeros(1, 2, 2), torch.ones(1, 2, 2)])
    labels = torch.zeros(2, 2, 2, dtype=torch.long)  # same id in both
    assert torch.equal(superpixel_mean(feat, labels), feat)


def test_pool_returns_means_table():
    feat = torch.tensor([[[[1., 3.], [5., 7.]]]])
    labels = torch.tensor([[[0, 0], [2, 2]]])
    means, slots = superpixel_pool(feat, labels)
    assert means.shape == (1, 1, 4)  # ids 0..2 plus the "none" slot
    assert means[0, 0].tolist() == [2.0, 0.0, 6.0, 0.0]  # id 1 is empty
    assert slots.tolist() == [[0, 0, 2, 2]]


def test_compact_ids_renumber_large_ids():
    labels = torch.tensor([[[-5, 10**9], [7, 10**9]]])
    slots, k = compact_superpixel_ids(labels)
    assert k == 2 and slots.tolist() == [[2, 1, 0, 1]]


def test_gradcheck():
    feat = torch.randn(1, 2, 3, 4, dtype=torch.double, requires_grad=True)
    labels = torch.tensor([[[0, 0, 1, 1], [0, 5, 1, -1], [5, 5, 5, -1]]])
    assert torch.autograd.gradcheck(lambda f: superpixel_mean(f, labels),
                                    (feat, ))


def test_misaligned_and_bad_labels():
    feat = torch.randn(2, 3, 8, 8)
    with pytest.raises(ValueError, match='not aligned'):
        superpixel_mean(feat, torch.zeros(2, 8, 9, dtype=torch.long))
    with pytest.raises(ValueError, match='not aligned'):
        superpixel_mean(feat, torch.zeros(1, 8, 8, dtype=torch.long))
    with pytest.raises(TypeError, match='integers'):
        superpixel_mean(feat, torch.zeros(2, 8, 8))
    with pytest.raises(ValueError, match=r'\(N, C, H, W\)'):
        superpixel_mean(feat[0], torch.zeros(2, 8, 8, dtype=torch.long))
