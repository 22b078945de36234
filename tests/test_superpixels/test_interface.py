"""One superpixel-method interface: every named method through every
consumer (API, pipeline transform, data preprocessor), configs, errors."""
import numpy as np
import pytest
import torch

from mmsuperpix.apis import init_superpixel_model, superpixelize
from mmsuperpix.datasets.transforms import GenerateSuperpixels
from mmsuperpix.registry import MODELS
from mmsuperpix.superpixels import (DEFAULT_METHOD, LABELS_KEY, METHOD_NAMES,
                                    PER_IMAGE_METHODS, ClassicSuperpixels,
                                    LearnedSuperpixels, SuperpixelMethod,
                                    build_superpixel_method)
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

H, W, N = 40, 56, 12
#: How each method is asked for: by name; the per-image optimisers by a
#: config of the same type, smaller and shorter than the paper's.
SPECS = {name: name for name in METHOD_NAMES}
SPECS.update({name: dict(
    type='PerImageSuperpixels',
    model=dict(type='UnsupervisedSuperpixelNet', base_channels=4,
               num_convs=2),
    num_iters=3, device='cpu') for name in PER_IMAGE_METHODS})


@pytest.fixture(scope='module')
def image():
    rng = np.random.default_rng(0)
    img = np.full((H, W, 3), 120, np.uint8)
    img[5:25, 4:30] = (20, 40, 210)
    img[18:38, 30:52] = (200, 90, 10)
    return np.clip(img + rng.integers(-5, 6, img.shape), 0,
                   255).astype(np.uint8)


@pytest.fixture(scope='module')
def methods():
    return {name: build_superpixel_method(SPECS[name])
            for name in METHOD_NAMES}


def _check_labels(labels, name):
    assert labels.shape == (H, W) and labels.dtype == np.int32, name
    k = int(labels.max()) + 1
    np.testing.assert_array_equal(np.unique(labels), np.arange(k),
                                  err_msg=name)


@pytest.mark.parametrize('name', METHOD_NAMES)
def test_every_method_through_every_consumer(name, image, methods):
    method = methods[name]
    assert isinstance(method, SuperpixelMethod)
    labels = method(image, N)
    _check_labels(labels, name)
    spec = SPECS[name]
    # the API, by name (or config) and by instance
    np.testing.assert_array_equal(superpixelize(spec, image, N), labels)
    np.testing.assert_array_equal(superpixelize(method, image, N), labels)
    # several images at once
    for out in method.segment_images([image, image], N):
        np.testing.assert_array_equal(out, labels)
    # the pipeline transform (ids skip 255: none here)
    results = GenerateSuperpixels(method=spec, n_segments=N).transform(
        dict(img=image.copy()))
    np.testing.assert_array_equal(results['superpixels'], labels)
    assert 'superpixels' in results['seg_fields']
    # the data preprocessor: the batched path on the normalised batch
    pre = MODELS.build(dict(
        type='SuperpixelDataPreProcessor', superpixel_method=spec,
        n_segments=N, mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375], bgr_to_rgb=True))
    sample = SegDataSample(metainfo=dict(img_shape=(H, W),
                                         ori_shape=(H, W)))
    sample.gt_sem_seg = PixelData(data=torch.zeros(1, H, W, dtype=torch.long))
    out = pre(dict(inputs=[torch.from_numpy(image).permute(2, 0, 1)],
                   data_samples=[sample]), False)
    batched = out['data_samples'][0].metainfo[LABELS_KEY]
    np.testing.assert_array_equal(batched.numpy(), labels)


def test_learned_batch_path_matches_single_images(image, methods):
    method = methods[DEFAULT_METHOD]
    assert method.has_association
    rgb = torch.from_numpy(np.stack([image, image[::-1].copy()])).permute(
        0, 3, 1, 2).flip(1).float()
    labels, assoc = method.segment_batch(rgb, N)
    assert labels.shape == (2, H, W) and labels.dtype == torch.int64
    assert assoc.shape[:2] == (2, 9) and assoc.dtype == torch.float32
    np.testing.assert_array_equal(labels[0].numpy(), method(image, N))
    np.testing.assert_array_equal(labels[1].numpy(),
                                  method(image[::-1].copy(), N))


def test_classic_batch_path_has_no_association(image, methods):
    rgb = torch.from_numpy(image).permute(2, 0, 1)[None].flip(1).float()
    labels, assoc = methods['opencv_slic'].segment_batch(rgb, N)
    assert assoc is None
    np.testing.assert_array_equal(labels[0].numpy(),
                                  methods['opencv_slic'](image, N))


def test_built_from_configs_and_models(image):
    lsc = build_superpixel_method(
        dict(type='ClassicSuperpixels', algorithm='opencv_lsc'))
    assert isinstance(lsc, ClassicSuperpixels)
    learned = build_superpixel_method(dict(type='LearnedSuperpixels'))
    model = init_superpixel_model()
    np.testing.assert_array_equal(learned(image, N),
                                  superpixelize(model, image, N))
    assert build_superpixel_method(lsc) is lsc


@pytest.mark.parametrize('spec,error,match', [
    ('watershed', ValueError, 'unknown superpixel method'),
    (dict(type='ClassicSuperpixels', algorithm='x'), ValueError,
     'unknown classic'),
    (dict(type='OHEMPixelSampler', context=None), TypeError,
     'not a superpixel method'),
    (42, TypeError, 'a name, a dict with a type'),
    (dict(type='LearnedSuperpixels', config='nope.py'), FileNotFoundError,
     'nope.py'),
])
def test_bad_specs_say_what_to_use(spec, error, match):
    with pytest.raises(error, match=match):
        build_superpixel_method(spec)


def test_building_a_learned_method_loads_nothing(monkeypatch):
    import mmsuperpix.superpixels.learned as learned
    monkeypatch.setattr(learned, 'init_superpixel_model',
                        lambda *a, **k: pytest.fail('loaded too early'))
    LearnedSuperpixels()  # no weights read until the first image
    GenerateSuperpixels(method=DEFAULT_METHOD, segment_size=8)


def test_preprocessor_association_needs_a_network():
    with pytest.raises(ValueError, match='soft association'):
        MODELS.build(dict(type='SuperpixelDataPreProcessor',
                          superpixel_method='opencv_slic', n_segments=10,
                          association=True))
    with pytest.raises(ValueError, match='need a superpixel_method'):
        MODELS.build(dict(type='SuperpixelDataPreProcessor', n_segments=10))
