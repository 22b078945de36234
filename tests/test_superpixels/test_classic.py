"""The classic superpixel methods: output contract, counts, bad input."""
import cv2
import numpy as np
import pytest

from mmsuperpix.superpixels import (CLASSIC_METHODS, ClassicSuperpixels,
                                    build_superpixel_method,
                                    contiguous_labels, seeds_grid_count)

H, W = 96, 128


def classic_superpixels(name, image, n):
    return build_superpixel_method(name)(image, n)


@pytest.fixture(scope='module')
def image():
    """Coloured rectangles on grey with mild noise, (96, 128, 3) BGR."""
    rng = np.random.default_rng(0)
    img = np.full((H, W, 3), 128, np.uint8)
    img[10:50, 8:60] = (30, 30, 200)
    img[40:90, 70:120] = (200, 60, 20)
    img[60:85, 15:55] = (40, 180, 40)
    img[5:30, 80:125] = (230, 230, 240)
    noise = rng.integers(-6, 7, img.shape)
    return np.clip(img.astype(int) + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize('method', sorted(CLASSIC_METHODS))
@pytest.mark.parametrize('n', [24, 96])
def test_method_contract(method, n, image):
    before = image.copy()
    labels = classic_superpixels(method, image, n)
    assert labels.shape == (H, W) and labels.dtype == np.int32
    k = int(labels.max()) + 1
    assert labels.min() == 0
    np.testing.assert_array_equal(np.unique(labels), np.arange(k))
    assert n / 3 <= k <= 3 * n, f'{method}: {k} superpixels for target {n}'
    np.testing.assert_array_equal(image, before)  # input left untouched


def test_methods_follow_the_target(image):
    for method in CLASSIC_METHODS:
        few = classic_superpixels(method, image, 20).max()
        many = classic_superpixels(method, image, 150).max()
        assert many > few, method


def test_methods_are_deterministic(image):
    for method in CLASSIC_METHODS:
        np.testing.assert_array_equal(
            classic_superpixels(method, image, 50),
            classic_superpixels(method, image, 50), err_msg=method)


def test_seeds_grid_matches_opencv():
    for width, height in ((481, 321), (321, 481), (608, 448), (128, 96)):
        for request in (20, 150, 600, 1000):
            for levels in (2, 3, 4):
                engine = cv2.ximgproc.createSuperpixelSEEDS(
                    width, height, 3, request, levels, 2, 5, False)
                assert seeds_grid_count(width, height, request, levels) == \
                    engine.getNumberOfSuperpixels()


def test_seeds_count_is_calibrated():
    img = np.random.default_rng(1).integers(0, 255, (321, 481, 3), np.uint8)
    for n in (400, 600, 1000):
        k = classic_superpixels('opencv_seeds', img, n).max() + 1
        assert 0.75 * n <= k <= 1.3 * n, (n, k)


def test_contiguous_labels():
    labels = np.array([[5, 5, 9], [-3, 9, 100]])
    out = contiguous_labels(labels)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[1, 1, 2], [0, 2, 3]])
    huge = np.array([[0, 10**12]])
    np.testing.assert_array_equal(contiguous_labels(huge), [[0, 1]])


def test_unknown_method_lists_the_names():
    with pytest.raises(ValueError, match='unknown superpixel') as info:
        build_superpixel_method('watershed')
    with pytest.raises(ValueError, match='unknown classic') as direct:
        ClassicSuperpixels('watershed')
    for name in CLASSIC_METHODS:
        assert name in str(info.value) and name in str(direct.value)
    assert 'default' in str(info.value)


@pytest.mark.parametrize('bad,error,match', [
    (np.zeros((H, W), np.uint8), ValueError, r'\(H, W, 3\)'),
    (np.zeros((H, W, 4), np.uint8), ValueError, 'alpha'),
    (np.zeros((0, W, 3), np.uint8), ValueError, 'non-empty'),
    (np.zeros((H, W, 3), np.float32), TypeError, 'uint8'),
    ([[0, 0, 0]], TypeError, 'numpy array'),
])
def test_bad_images(bad, error, match):
    with pytest.raises(error, match=match):
        classic_superpixels('opencv_slic', bad, 10)


@pytest.mark.parametrize('n', [0, -5, 2.5, True, None])
def test_bad_counts(n, image):
    with pytest.raises(ValueError, match='n_segments'):
        classic_superpixels('skimage_slic', image, n)


def test_counts_above_the_pixels_are_capped():
    image = np.random.default_rng(0).integers(0, 255, (6, 5, 3), np.uint8)
    labels = classic_superpixels('skimage_felzenszwalb', image, 10**6)
    assert labels.shape == (6, 5) and labels.max() < 30


def test_missing_ximgproc_says_how_to_fix(image, monkeypatch):
    monkeypatch.delattr(cv2, 'ximgproc')
    with pytest.raises(ImportError, match='pip install --no-deps '
                       '--force-reinstall opencv-contrib-python=='):
        ClassicSuperpixels('opencv_lsc')
    # scikit-image methods do not need it.
    assert classic_superpixels('skimage_slic', image, 20).shape == (H, W)
