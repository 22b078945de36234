"""RandomResizedCrop: torchvision's sampling on mmseg results."""
import numpy as np
import pytest

import mmsuperpix  # noqa: F401
from mmsuperpix.datasets.transforms import RandomResizedCrop


def results(h=60, w=80):
    img = np.zeros((h, w, 3), np.uint8)
    img[..., 0] = np.arange(w)[None, :]  # column index in the blue channel
    img[..., 1] = np.arange(h)[:, None]  # row index in the green channel
    seg = (np.arange(h)[:, None] * 1000 + np.arange(w)[None, :]).astype(
        np.int32)
    return dict(img=img, gt_seg_map=seg, seg_fields=['gt_seg_map'])


def test_output_size_and_box_within_the_image():
    np.random.seed(0)
    crop = RandomResizedCrop((24, 32), scale=(0.05, 0.4))
    areas = []
    for _ in range(200):
        out = crop(results())
        assert out['img'].shape == (24, 32, 3)
        assert out['gt_seg_map'].shape == (24, 32)
        assert out['img_shape'] == (24, 32)
        x1, y1, x2, y2 = out['crop_bbox']
        assert 0 <= x1 < x2 <= 80 and 0 <= y1 < y2 <= 60
        areas.append((x2 - x1) * (y2 - y1) / (60 * 80))
        ratio = (x2 - x1) / (y2 - y1)
        assert 3 / 4 * 0.8 <= ratio <= 4 / 3 * 1.25  # rounding of small boxes
    assert 0.04 <= min(areas) and max(areas) <= 0.42
    assert np.mean(areas) == pytest.approx(0.225, abs=0.03)


def test_image_and_labels_show_the_same_box():
    np.random.seed(1)
    out = RandomResizedCrop(16, scale=(0.3, 0.3), ratio=(1, 1))(results())
    x1, y1, x2, y2 = out['crop_bbox']
    seg = out['gt_seg_map']
    # nearest resizing keeps label values from inside the box only
    rows, cols = seg // 1000, seg % 1000
    assert rows.min() >= y1 and rows.max() < y2
    assert cols.min() >= x1 and cols.max() < x2
    # the image's coordinate channels agree with the labels' corners
    assert abs(int(out['img'][0, 0, 0]) - cols[0, 0]) <= 1
    assert abs(int(out['img'][-1, -1, 1]) - rows[-1, -1]) <= 1


def test_fallback_is_the_centre_clamped_to_the_ratio():
    np.random.seed(0)
    # an area share of 1 never fits a 1:1 box in a 1:4 image
    crop = RandomResizedCrop(8, scale=(1.0, 1.0), ratio=(1.0, 1.0))
    assert crop.crop_box(10, 40) == (15, 0, 25, 10)


@pytest.mark.parametrize('kwargs,match', [
    (dict(size=0), 'size'), (dict(size=8, scale=(0.5, 0.2)), 'scale'),
    (dict(size=8, ratio=(2, 1)), 'ratio')])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RandomResizedCrop(**kwargs)
