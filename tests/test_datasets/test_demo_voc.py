"""The synthetic VOC-layout demo data: layout, determinism, label rules."""
import os.path as osp

import cv2
import numpy as np
import pytest
from PIL import Image

from mmsuperpix.datasets.synthetic import (DEMO_CLASSES, make_demo_voc,
                                           render_scene, voc_palette)

ALLOWED = {0, 255} | set(DEMO_CLASSES)


def read_lines(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def test_layout(demo_root):
    voc = osp.join(demo_root, 'VOC2012')
    train = read_lines(osp.join(voc, 'ImageSets/Segmentation/train.txt'))
    val = read_lines(osp.join(voc, 'ImageSets/Segmentation/val.txt'))
    assert len(train) == 8 and len(val) == 4 and not set(train) & set(val)
    for img_id in train + val:
        assert osp.isfile(osp.join(voc, 'JPEGImages', f'{img_id}.jpg'))
        assert osp.isfile(osp.join(voc, 'SegmentationClass', f'{img_id}.png'))
    assert osp.isfile(osp.join(demo_root, 'meta.json'))


def test_semi_supervised_splits_partition_train(demo_root):
    train = read_lines(osp.join(demo_root, 'VOC2012', 'splits', 'train.txt'))
    labeled = read_lines(osp.join(demo_root, 'VOC2012', 'splits', '2', 'labeled.txt'))
    unlabeled = read_lines(osp.join(demo_root, 'VOC2012', 'splits', '2',
                                    'unlabeled.txt'))
    assert len(labeled) == 2 and len(unlabeled) == 6
    assert sorted(labeled + unlabeled) == sorted(train)
    img, seg = labeled[0].split()
    assert img.startswith('JPEGImages/') and img.endswith('.jpg')
    assert seg == img.replace('JPEGImages', 'SegmentationClass').replace(
        '.jpg', '.png')


def test_label_pngs_are_voc_palette_images(demo_root):
    png = Image.open(osp.join(demo_root, 'VOC2012', 'SegmentationClass',
                              'demo_000000.png'))
    assert png.mode == 'P'
    assert png.getpalette()[:21 * 3] == voc_palette()[:21 * 3]
    labels = np.array(png)
    img = cv2.imread(osp.join(demo_root, 'VOC2012', 'JPEGImages',
                              'demo_000000.jpg'))
    assert img.shape[:2] == labels.shape
    assert 64 <= labels.shape[0] <= 96 and 64 <= labels.shape[1] <= 96
    assert set(np.unique(labels)) <= ALLOWED


def test_generation_is_deterministic(tmp_path):
    kwargs = dict(num_train=3, num_val=1, labeled_counts=(1, ),
                  size_range=(48, 64), progress=False)
    make_demo_voc(str(tmp_path / 'a'), seed=3, **kwargs)
    make_demo_voc(str(tmp_path / 'b'), seed=3, **kwargs)
    make_demo_voc(str(tmp_path / 'c'), seed=4, **kwargs)

    def label(root, k):
        return np.array(Image.open(osp.join(
            root, 'VOC2012', 'SegmentationClass', f'demo_{k:06d}.png')))

    for k in range(4):
        np.testing.assert_array_equal(label(tmp_path / 'a', k),
                                      label(tmp_path / 'b', k))
    assert read_lines(tmp_path / 'a' / 'VOC2012' / 'splits' / '1' / 'labeled.txt') == \
        read_lines(tmp_path / 'b' / 'VOC2012' / 'splits' / '1' / 'labeled.txt')
    assert any(label(tmp_path / 'a', k).shape != label(tmp_path / 'c', k).shape
               or (label(tmp_path / 'a', k) != label(tmp_path / 'c', k)).any()
               for k in range(4))


@pytest.mark.parametrize('seed', range(5))
def test_scene_borders_separate_every_pair_of_labels(seed):
    rng = np.random.default_rng(seed)
    image, label = render_scene(rng, 120, 150)
    assert image.shape == (120, 150, 3) and image.dtype == np.uint8
    assert label.shape == (120, 150) and label.dtype == np.uint8
    assert set(np.unique(label)) <= ALLOWED
    assert (label != 0).any() and (label == 255).any()  # an object, a border
    # no two 4-neighbours carry different real labels: 255 lies between
    for a, b in ((label[1:], label[:-1]), (label[:, 1:], label[:, :-1])):
        real = (a != 255) & (b != 255)
        assert (a[real] == b[real]).all()


def test_classes_differ_in_texture_not_only_colour():
    """Objects of one class take several hues: colour alone is ambiguous."""
    hues = {c: [] for c in DEMO_CLASSES}
    for seed in range(30):
        image, label = render_scene(np.random.default_rng(seed), 96, 96)
        hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
        for c in hues:
            if (label == c).sum() > 50:
                hues[c].append(np.median(hsv[..., 0][label == c]))
    spreads = [np.ptp(v) for v in hues.values() if len(v) > 2]
    assert spreads and min(spreads) > 5


@pytest.mark.parametrize('kwargs,message', [
    (dict(num_train=0), 'at least one'),
    (dict(num_train=4, labeled_counts=(5, )), 'labeled_counts'),
])
def test_bad_arguments(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_demo_voc(str(tmp_path), progress=False, **kwargs)
