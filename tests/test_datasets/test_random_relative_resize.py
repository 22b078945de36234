"""RandomRelativeResize scales image and label maps by the same ratio."""
import numpy as np
import pytest

from mmsuperpix.datasets.transforms import RandomRelativeResize


def test_scales_image_and_labels_together():
    np.random.seed(0)
    img = np.random.randint(0, 255, (40, 60, 3), np.uint8)
    seg = np.zeros((40, 60), np.uint8)
    seg[:, 30:] = 7
    out = RandomRelativeResize((2.0, 2.0))(
        dict(img=img, gt_seg_map=seg, seg_fields=['gt_seg_map']))
    assert out['img'].shape == (80, 120, 3)
    assert out['gt_seg_map'].shape == (80, 120)
    assert set(np.unique(out['gt_seg_map'])) == {0, 7}  # nearest: no blends
    assert (out['gt_seg_map'][:, :60] == 0).all()
    assert out['img_shape'] == (80, 120) and out['scale_factor'] == (2, 2)


def test_ratio_is_drawn_in_range():
    sizes = set()
    for seed in range(20):
        np.random.seed(seed)
        out = RandomRelativeResize((0.5, 1.0))(
            dict(img=np.zeros((100, 50, 3), np.uint8), seg_fields=[]))
        h, w = out['img'].shape[:2]
        assert 50 <= h <= 100 and abs(h - 2 * w) <= 1  # aspect kept
        sizes.add(h)
    assert len(sizes) > 5


def test_bad_range():
    with pytest.raises(ValueError, match='ratio_range'):
        RandomRelativeResize((2.0, 1.0))
