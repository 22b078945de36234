"""init_superpixel_model / superpixelize: inputs of every kind, outputs that
keep their promises, clear errors."""
import os.path as osp
import re

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from scipy import ndimage

from conftest import REPO
from mmsuperpix.apis import init_superpixel_model, superpixelize, to_bgr_uint8
from mmsuperpix.superpixels import (cluster_superpixel_batch,
                                   predict_superpixel_batch, protocol)
from mmsuperpix.registry import MODELS

CONFIG = osp.join(REPO, 'configs', 'ainet',
                  'ainet_1xb16-4k_bsds500-208x208.py')


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    return init_superpixel_model(CONFIG)  # random weights: plumbing only


def image(h=70, w=90):
    rng = np.random.default_rng(0)
    img = np.zeros((h, w, 3), np.uint8)
    img[:, w // 2:] = (200, 50, 30)
    return np.clip(img + rng.integers(0, 30, img.shape), 0, 255).astype(
        np.uint8)


def assert_superpixels(labels, shape):
    assert labels.shape == shape and labels.dtype == np.int32
    ids = np.unique(labels)
    assert np.array_equal(ids, np.arange(len(ids)))
    for i in ids:
        assert ndimage.label(labels == i)[1] == 1


@pytest.mark.parametrize('convert', [
    lambda im: im,
    lambda im: cv2.cvtColor(im, cv2.COLOR_BGR2GRAY),
    lambda im: cv2.cvtColor(im, cv2.COLOR_BGR2GRAY)[..., None],
    lambda im: cv2.cvtColor(im, cv2.COLOR_BGR2BGRA),
    lambda im: im.astype(np.uint16) * 257,
    lambda im: im.astype(np.float32) / 255,
])
def test_every_image_kind_gives_connected_superpixels(model, convert):
    labels = superpixelize(model, convert(image()), n_segments=20)
    assert_superpixels(labels, (70, 90))


def test_paths_and_odd_sizes(model, tmp_path):
    path = str(tmp_path / 'odd.png')
    cv2.imwrite(path, image(33, 47))
    assert_superpixels(superpixelize(model, path, 12), (33, 47))
    tiny = superpixelize(model, image(3, 4), n_segments=600)
    assert tiny.shape == (3, 4)


def test_more_segments_give_more_superpixels(model):
    few = superpixelize(model, image(), 6)
    many = superpixelize(model, image(), 60)
    assert len(np.unique(few)) < len(np.unique(many))


def test_fused_model_matches_unfused():
    torch.manual_seed(0)
    plain = init_superpixel_model(CONFIG, fuse=False)
    torch.manual_seed(0)
    fused = init_superpixel_model(CONFIG, fuse=True)
    x = torch.randn(1, 3, 32, 48)
    with torch.no_grad():
        torch.testing.assert_close(fused.encode_decode(x),
                                   plain.encode_decode(x), atol=1e-4,
                                   rtol=1e-4)


@pytest.mark.parametrize('bad,error,message', [
    ('no/such/file.png', FileNotFoundError, 'does not exist'),
    (np.zeros((4, 4, 2), np.uint8), ValueError, r'\(H, W, 3\)'),
    (np.zeros((0, 4, 3), np.uint8), ValueError, 'empty'),
    (np.full((4, 4, 3), np.nan, np.float32), ValueError, 'finite'),
    (np.zeros((4, 4, 3), np.int64), TypeError, 'dtype'),
    ([[1, 2]], TypeError, 'numpy array'),
])
def test_bad_images_are_explained(bad, error, message):
    with pytest.raises(error, match=message):
        to_bgr_uint8(bad)


@pytest.mark.parametrize('n_segments', [0, True, 2.0, '600'])
def test_bad_n_segments(model, n_segments):
    with pytest.raises(ValueError, match='positive int'):
        superpixelize(model, image(), n_segments)


def test_truncated_jpeg_is_reported(model, tmp_path):
    path = tmp_path / 'photo.jpg'
    cv2.imwrite(str(path), image(64, 96))
    data = path.read_bytes()
    path.write_bytes(data[:len(data) - 40])  # libjpeg would only warn
    with pytest.raises(ValueError, match="'.*photo.jpg' is a damaged JPEG: "
                       'it is truncated'):
        superpixelize(model, str(path), 20)


def test_memory_is_checked_before_allocating(model, monkeypatch):
    monkeypatch.setattr(protocol, 'available_memory',
                        lambda device: 8 * 2**20)
    with pytest.raises(ValueError) as info:
        superpixelize(model, image(), 10**7)
    message = str(info.value)
    # the request is capped at the 6,300 pixels before the memory check
    assert 'n_segments=6,300 is too many for 1 70x90 image' in message
    assert 'but 8 MiB is available' in message
    fit = int(re.search(r'at most n_segments=([\d,]+)', message)[1])
    assert fit > 1  # the suggested count runs within the same memory
    assert_superpixels(superpixelize(model, image(), fit), (70, 90))


def test_huge_request_fails_before_resizing():
    """10**7 superpixels of a 4000x3000 image: a ~900 GiB network input."""
    view = torch.zeros(1, 3, 1, 1).expand(2, 3, 3000, 4000)  # no memory

    def network(x):
        raise AssertionError('the network must not run')

    with pytest.raises(ValueError, match=r'n_segments=10,000,000 is too many '
                       r'for 2 3000x4000 image\(s\).*43824x58416 input'):
        predict_superpixel_batch(network, view, 10**7)


def test_full_resolution_clustering_counts_its_clusters(monkeypatch):
    """The default model at one cluster per pixel: 10**7 superpixels of a
    4000x3000 image need ~76 GiB (a run was killed at 23 GB before this
    check counted the clusters); the usual count fits in 16 GiB."""
    monkeypatch.setattr(protocol, 'available_memory',
                        lambda device: 16 * 2**30)
    view = torch.zeros(1, 3, 1, 1).expand(1, 3, 3000, 4000)  # no memory

    class Ran(Exception):
        pass

    def network(x, cell_size):
        raise Ran

    with pytest.raises(ValueError, match=r'n_segments=10,000,000 gives '
                       r'12,000,000 clusters per 3000x4000 image.*'
                       r'request at most n_segments=1,'):
        cluster_superpixel_batch(network, view, 10**7)
    with pytest.raises(Ran):  # passes the check, reaches the network
        cluster_superpixel_batch(network, view, 2000)


def test_missing_config_and_checkpoint(tmp_path):
    with pytest.raises(FileNotFoundError, match='config'):
        init_superpixel_model(str(tmp_path / 'x.py'))
    with pytest.raises(FileNotFoundError, match='checkpoint'):
        init_superpixel_model(CONFIG, str(tmp_path / 'x.pth'))


@pytest.mark.parametrize('precision', ['bfloat16', 'auto'])
def test_reduced_precision_keeps_the_promises(precision):
    torch.manual_seed(0)
    model = init_superpixel_model(CONFIG, precision=precision)
    assert_superpixels(superpixelize(model, image(), 20), (70, 90))


def test_unknown_precision():
    with pytest.raises(ValueError, match='precision'):
        init_superpixel_model(CONFIG, precision='int8')
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIG)
    cfg.model.train_cfg = dict(mixed_precision='bf16')
    with pytest.raises(ValueError, match='train_cfg.mixed_precision'):
        MODELS.build(cfg.model)


def test_shipped_default_model_loads():
    from mmsuperpix.apis import DEFAULT_CHECKPOINT
    if not osp.isfile(DEFAULT_CHECKPOINT):
        pytest.skip('the shipped weights are not in this checkout')
    model = init_superpixel_model()
    assert_superpixels(superpixelize(model, image(), 30), (70, 90))
