"""The strong photometric view: each operation, probabilities, input checks."""
import cv2
import numpy as np
import pytest

from mmsuperpix.datasets.transforms import StrongPhotometricAugment
from mmsuperpix.registry import TRANSFORMS

OFF = dict(jitter_prob=0.0, gray_prob=0.0, blur_prob=0.0)


def jitter_only(brightness=0.0, contrast=0.0, saturation=0.0, hue=0.0):
    """Colour jitter always, with fixed factors; nothing else."""
    return StrongPhotometricAugment(
        brightness=brightness, contrast=contrast, saturation=saturation,
        hue=hue, jitter_prob=1.0, gray_prob=0.0, blur_prob=0.0)


def noise(h=32, w=40, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3),
                                                dtype=np.uint8)


def flat(bgr, h=8, w=8):
    return np.broadcast_to(np.array(bgr, np.uint8), (h, w, 3)).copy()


def test_registered():
    aug = TRANSFORMS.build(dict(type='StrongPhotometricAugment'))
    assert isinstance(aug, StrongPhotometricAugment)
    # torchvision's ColorJitter(0.5, 0.5, 0.5, 0.25) ranges
    assert aug.brightness == aug.contrast == aug.saturation == (0.5, 1.5)
    assert aug.hue == (-0.25, 0.25)
    assert (aug.jitter_prob, aug.gray_prob, aug.blur_prob) == (0.8, 0.2, 0.5)
    assert aug.blur_sigma == (0.1, 2.0)


def test_probability_zero_is_identity():
    np.random.seed(0)
    img = noise()
    out = StrongPhotometricAugment(**OFF)(dict(img=img.copy()))['img']
    assert np.array_equal(out, img)


def test_unit_factors_are_identity():
    img = noise()
    out = jitter_only(brightness=(1, 1), contrast=(1, 1),
                      saturation=(1, 1))(dict(img=img.copy()))['img']
    assert np.array_equal(out, img)


@pytest.mark.parametrize('factor', [0.5, 1.3, 1.5])
def test_brightness_scales_a_flat_image(factor):
    img = flat((40, 100, 160))
    out = jitter_only(brightness=(factor, factor))(dict(img=img))['img']
    expected = np.clip(np.rint(np.array([40, 100, 160]) * factor), 0, 255)
    assert (out == expected.astype(np.uint8)).all()


def test_contrast_zero_gives_the_mean_luma():
    img = noise()
    out = jitter_only(contrast=(0, 0))(dict(img=img.copy()))['img']
    luma = (img.astype(np.float64) @ [0.114, 0.587, 0.299]).mean()
    assert (np.abs(out.astype(float) - luma) <= 0.5 + 1e-3).all()


def test_saturation_zero_gives_gray():
    out = jitter_only(saturation=(0, 0))(dict(img=noise()))['img']
    assert (np.abs(out[..., 0].astype(int) - out[..., 1]) <= 1).all()
    assert (np.abs(out[..., 1].astype(int) - out[..., 2]) <= 1).all()


@pytest.mark.parametrize('shift,expected', [
    (1 / 3, (0, 255, 0)),     # red -> green
    (-1 / 3, (255, 0, 0)),    # red -> blue
    (1 / 6, (0, 255, 255)),   # red -> yellow
])
def test_hue_rotates_a_pure_colour(shift, expected):
    red = flat((0, 0, 255))
    out = jitter_only(hue=(shift, shift))(dict(img=red))['img']
    assert (np.abs(out.astype(int) - expected) <= 6).all(), out[0, 0]


def test_grayscale_gives_equal_channels_of_luma():
    img = noise()
    out = StrongPhotometricAugment(jitter_prob=0, gray_prob=1,
                                   blur_prob=0)(dict(img=img.copy()))['img']
    assert (out[..., 0] == out[..., 1]).all()
    assert (out[..., 1] == out[..., 2]).all()
    assert np.array_equal(out[..., 0], cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))


@pytest.mark.parametrize('sigma', [0.5, 2.0])
def test_blur_reduces_variance_of_noise(sigma):
    img = noise(64, 64)
    aug = StrongPhotometricAugment(jitter_prob=0, gray_prob=0, blur_prob=1,
                                   blur_sigma=(sigma, sigma))
    out = aug(dict(img=img.copy()))['img']
    assert out.var() < 0.5 * img.var()
    # the mean is kept (a normalised kernel)
    assert abs(out.mean() - img.mean()) < 2


def test_stronger_blur_smooths_more():
    img = noise(64, 64)
    weak, strong = (StrongPhotometricAugment(
        jitter_prob=0, gray_prob=0, blur_prob=1, blur_sigma=(s, s))(
            dict(img=img.copy()))['img'] for s in (0.5, 2.0))
    assert strong.var() < weak.var()


def test_defaults_keep_shape_dtype_and_only_touch_img():
    np.random.seed(1)
    aug = StrongPhotometricAugment()
    seg = np.zeros((30, 50), np.uint8)
    changed = 0
    for k in range(20):
        img = noise(30, 50, seed=k)
        results = dict(img=img.copy(), gt_seg_map=seg.copy(),
                       img_shape=(30, 50))
        out = aug(results)
        assert out['img'].shape == (30, 50, 3)
        assert out['img'].dtype == np.uint8
        assert out['img'].flags.c_contiguous
        assert np.array_equal(out['gt_seg_map'], seg)
        assert out['img_shape'] == (30, 50)
        changed += not np.array_equal(out['img'], img)
    assert changed >= 15


def test_seeded_global_rng_is_reproducible():
    img = noise()
    outs = []
    for _ in range(2):
        np.random.seed(7)
        outs.append(StrongPhotometricAugment()(dict(img=img.copy()))['img'])
    assert np.array_equal(*outs)


@pytest.mark.parametrize('img,error,match', [
    (np.zeros((8, 8, 3), np.float32), TypeError, 'uint8'),
    (np.zeros((8, 8), np.uint8), ValueError, r'\(H, W, 3\)'),
    (np.zeros((8, 8, 4), np.uint8), ValueError, r'\(H, W, 3\)'),
    ('img.jpg', TypeError, 'uint8'),
])
def test_bad_images_say_what_is_wrong(img, error, match):
    with pytest.raises(error, match=match):
        StrongPhotometricAugment()(dict(img=img))


def test_missing_img():
    with pytest.raises(KeyError, match='LoadImageFromFile'):
        StrongPhotometricAugment()(dict())


@pytest.mark.parametrize('kwargs,match', [
    (dict(jitter_prob=1.5), 'jitter_prob'),
    (dict(gray_prob=-0.1), 'gray_prob'),
    (dict(brightness=-1), 'brightness'),
    (dict(hue=0.6), 'hue'),
    (dict(contrast=(1.5, 0.5)), 'contrast'),
    (dict(saturation='x'), 'saturation'),
    (dict(blur_sigma=(0, 1)), 'blur_sigma'),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        StrongPhotometricAugment(**kwargs)


def test_solarize_inverts_values_from_128():
    img = np.array([[[0, 127, 128], [200, 255, 10]]], np.uint8)
    out = StrongPhotometricAugment.solarize(img)
    assert out.tolist() == [[[0, 127, 127], [55, 0, 10]]]
    aug = StrongPhotometricAugment(jitter_prob=0, gray_prob=0, blur_prob=0,
                                   solarize_prob=1)
    assert aug(dict(img=img.copy()))['img'].tolist() == out.tolist()


def test_no_solarize_draw_by_default():
    # UniMatch / DDFP runs keep their random stream: three draws (jitter,
    # grayscale, blur), none for the solarisation they do not use
    aug = StrongPhotometricAugment(jitter_prob=0, gray_prob=0, blur_prob=0)
    np.random.seed(3)
    expected = np.random.rand(4)[3]
    np.random.seed(3)
    aug(dict(img=np.zeros((4, 4, 3), np.uint8)))
    assert np.random.rand() == expected
