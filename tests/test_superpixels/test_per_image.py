"""Per-image optimised superpixels (RIM, Eliasof et al.): the optimiser,
batching, counts, configs and the named presets."""
import numpy as np
import pytest
import torch

from mmsuperpix.ops import enforce_connectivity
from mmsuperpix.superpixels import (PER_IMAGE_METHODS, PerImageSuperpixels,
                                    build_superpixel_method,
                                    method_from_config, standardised_inputs)

H, W = 24, 32


def small(**kwargs):
    cfg = dict(model=dict(type='UnsupervisedSuperpixelNet', base_channels=4,
                          num_convs=2),
               num_iters=8, lr=0.01, batch_size=2, device='cpu')
    cfg.update(kwargs)
    return PerImageSuperpixels(**cfg)


@pytest.fixture(scope='module')
def images():
    rng = np.random.default_rng(0)
    out = []
    for shift in (0, 6, 11):
        img = np.full((H, W, 3), 90, np.uint8)
        img[4:18, shift:shift + 14] = (30, 200, 60)
        out.append(np.clip(img + rng.integers(-6, 7, img.shape), 0,
                           255).astype(np.uint8))
    return out


def test_inputs_are_standardised_rgb_and_xy():
    rgb = torch.rand(2, 3, 5, 7) * 255
    x = standardised_inputs(rgb)
    assert x.shape == (2, 5, 5, 7)
    assert torch.allclose(x.mean((2, 3)), torch.zeros(2, 5), atol=1e-5)
    assert torch.allclose(x.std((2, 3)), torch.ones(2, 5), atol=1e-5)
    assert torch.all(x[:, 3, 1:] > x[:, 3, :-1])  # rows increase downwards


def test_optimisation_lowers_the_loss(images):
    method = small(num_iters=15)
    rgb = torch.from_numpy(images[0][..., ::-1].copy()).permute(2, 0, 1)
    logits, history = method.optimise(rgb[None].float(), 10)
    assert logits.shape == (1, 10, H, W) and len(history) == 15
    assert set(history[0]) == {'loss', 'loss_clustering', 'loss_smoothness',
                               'loss_recon', 'loss_edge'}
    assert history[-1]['loss'] < history[0]['loss']


def test_labels_are_connected_and_contiguous(images):
    labels = small()(images[0], 10)
    assert labels.shape == (H, W) and labels.dtype == np.int32
    k = labels.max() + 1
    np.testing.assert_array_equal(np.unique(labels), np.arange(k))
    # already 4-connected: enforcing connectivity changes nothing
    again = enforce_connectivity(labels, 0, H * W)
    assert again.max() + 1 == k


def test_batched_equals_one_at_a_time(images):
    method = small()
    batched = method.segment_images(images, 10)
    assert len(batched) == 3  # two batches of 2 and 1 images
    for image, labels in zip(images, batched):
        np.testing.assert_array_equal(labels, method(image, 10))


def test_images_of_different_sizes_in_one_call(images):
    method = small(num_iters=2)
    tall = np.ascontiguousarray(images[1].transpose(1, 0, 2))
    out = method.segment_images([images[0], tall, images[2]], 6)
    assert [o.shape for o in out] == [(H, W), (W, H), (H, W)]


def test_input_size_resizes_and_labels_come_back_full_size(images):
    method = small(input_size=(12, 16))
    logits, _ = method.optimise(
        torch.from_numpy(images[0]).permute(2, 0, 1)[None].float(), 5)
    assert logits.shape[-2:] == (12, 16)
    assert method(images[0], 5).shape == (H, W)
    longer_side = small(input_size=16)
    assert longer_side.optimisation_size(H, W) == (12, 16)
    assert longer_side.optimisation_size(W, H) == (16, 12)
    assert small().optimisation_size(H, W) == (H, W)


def test_bfloat16_network_gives_float32_losses(images):
    method = small(num_iters=3, precision='bfloat16')
    rgb = torch.from_numpy(images[0]).permute(2, 0, 1)[None].float()
    logits, history = method.optimise(rgb, 6)
    assert logits.dtype == torch.float32
    assert all(np.isfinite(h['loss']) for h in history)


def test_count_and_argument_checks():
    method = small(superpixels_per_segment=1.5)
    assert method.num_superpixels(100, 50, 50) == 150
    assert method.num_superpixels(100, 5, 5) == 25
    with pytest.raises(ValueError, match='num_iters'):
        small(num_iters=0)
    with pytest.raises(ValueError, match='superpixels_per_segment'):
        small(superpixels_per_segment=0)
    with pytest.raises(ValueError, match='input_size'):
        small(input_size=(1, 8))
    with pytest.raises(ValueError, match='precision'):
        small(precision='half')


@pytest.mark.parametrize('name', sorted(PER_IMAGE_METHODS))
def test_presets_follow_the_papers(name):
    method = build_superpixel_method(name)
    assert isinstance(method, PerImageSuperpixels)
    assert method.num_iters == 1000 and method.lr == 0.01
    assert method.input_size is None
    if name == 'eliasof':
        assert method.model_cfg['aspp_dilations'] == (1, 2, 4, 8)
        assert method.loss.beta == 10 and method.loss.eta == 1
        assert method.loss.soft_image_recon
    else:
        assert method.model_cfg['aspp_dilations'] is None
        assert not method.model_cfg['laplacian_features']
        assert method.loss.eta == 0 and not method.loss.soft_image_recon


def test_config_file_with_overrides(tmp_path):
    method = method_from_config(PER_IMAGE_METHODS['eliasof'],
                                cfg_options={'superpixel_method.num_iters':
                                             3})
    assert method.num_iters == 3
    path = tmp_path / 'nothing.py'
    path.write_text('x = 1\n')
    with pytest.raises(ValueError, match='neither a superpixel_method'):
        method_from_config(str(path))
    with pytest.raises(ValueError, match='takes no checkpoint'):
        method_from_config(PER_IMAGE_METHODS['rim'], checkpoint='w.pth')
