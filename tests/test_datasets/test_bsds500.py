"""BSDS500Dataset: the real data of ../shared/data (skipped when absent) and
generated trees, including the errors a broken tree must give."""
import os
import os.path as osp
import time

import cv2
import mmcv
import numpy as np
import pytest
import scipy.io as sio
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from conftest import shared_path
from mmsuperpix.datasets import BSDS500Dataset, load_bsds_groundtruth
from mmsuperpix.registry import DATASETS

init_default_scope('mmseg')
DATA_KEYS = {'img_path', 'gt_path', 'annotation_index', 'num_annotations',
             'seg_fields', 'label_map', 'reduce_zero_label', 'sample_idx'}


def write_gt(path, segmentations, **extra):
    """Write a BSDS500-style .mat: a 1xN cell of Segmentation structs."""
    cell = np.empty((1, len(segmentations)), dtype=object)
    for k, seg in enumerate(segmentations):
        cell[0, k] = dict(Segmentation=np.asarray(seg, dtype=np.uint16),
                          Boundaries=np.zeros(np.shape(seg), np.uint8))
    sio.savemat(path, dict(groundTruth=cell, **extra))


def make_tree(root, split='train', counts=(2, 3), size=(12, 16), seed=0):
    """images/{split}/<id>.jpg + groundTruth/{split}/<id>.mat; A = counts."""
    rng = np.random.default_rng(seed)
    os.makedirs(osp.join(root, 'images', split), exist_ok=True)
    os.makedirs(osp.join(root, 'groundTruth', split), exist_ok=True)
    for i, count in enumerate(counts):
        img_id = f'{100 + i}'
        img = rng.integers(0, 255, size + (3, ), dtype=np.uint8)
        cv2.imwrite(osp.join(root, 'images', split, img_id + '.jpg'), img)
        segs = [rng.integers(1, 6, size) * (k + 1) for k in range(count)]
        write_gt(osp.join(root, 'groundTruth', split, img_id + '.mat'), segs)
    return str(root)


def relabel(ann):
    """Reference relabeling of one annotation: contiguous, order kept."""
    return np.unique(ann, return_inverse=True)[1].reshape(ann.shape)


def build(root, **kwargs):
    return DATASETS.build(dict(type='BSDS500Dataset', data_root=root,
                               **kwargs))


# --------------------------------------------------------------- generated
def test_generated_tree_both_modes(tmp_path):
    root = make_tree(tmp_path, counts=(2, 3))
    ds = build(root, mode='per_annotation')
    assert isinstance(ds, BSDS500Dataset) and len(ds) == 5
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert set(infos[0]) == DATA_KEYS
    assert [i['annotation_index'] for i in infos] == [0, 1, 0, 1, 2]
    assert [i['num_annotations'] for i in infos] == [2, 2, 3, 3, 3]
    assert infos[0]['gt_path'].endswith(osp.join('groundTruth', 'train',
                                                 '100.mat'))
    assert infos[0]['img_path'].endswith(osp.join('images', 'train',
                                                  '100.jpg'))
    assert infos[0]['seg_fields'] == [] and infos[0]['label_map'] is None
    assert infos[0]['reduce_zero_label'] is False
    per_image = build(root, mode='per_image', test_mode=True)
    assert len(per_image) == 2
    assert per_image.get_data_info(1)['annotation_index'] is None
    assert per_image.metainfo['classes'] == ('segment', )


def test_load_bsds_groundtruth(tmp_path):
    segs = [np.arange(12).reshape(3, 4) + 1, np.ones((3, 4)) * 7]
    write_gt(str(tmp_path / 'a.mat'), segs)
    labels = load_bsds_groundtruth(str(tmp_path / 'a.mat'))
    assert labels.shape == (2, 3, 4) and labels.dtype == np.uint16
    np.testing.assert_array_equal(labels, np.stack(segs))


def test_lazy_init_defers_the_checks(tmp_path):
    ds = build(str(tmp_path / 'absent'), lazy_init=True)
    with pytest.raises(FileNotFoundError, match='data_root'):
        ds.full_init()


def _drop(path):
    os.remove(path)


@pytest.mark.parametrize('breakage,error,message', [
    ('no_root', FileNotFoundError, 'data_root .* does not exist'),
    ('no_gt_folder', FileNotFoundError, 'ground-truth folder'),
    ('no_ground_truth_var', ValueError, "no 'groundTruth' variable"),
    ('image_without_mat', FileNotFoundError, r"have no \.mat.*\['101'\]"),
    ('mat_without_image', FileNotFoundError, r"have no image.*\['101'\]"),
    ('corrupt_mat', ValueError, 'whosmat failed'),
    ('empty_split', ValueError, 'is empty'),
])
def test_broken_tree_fails_at_build(tmp_path, breakage, error, message):
    root = make_tree(tmp_path / 'bsds', counts=(2, 3))
    img = osp.join(root, 'images', 'train', '101.jpg')
    mat = osp.join(root, 'groundTruth', 'train', '101.mat')
    if breakage == 'no_root':
        root = str(tmp_path / 'nowhere')
    elif breakage == 'no_gt_folder':
        os.rename(osp.join(root, 'groundTruth', 'train'),
                  osp.join(root, 'groundTruth', 'other'))
    elif breakage == 'no_ground_truth_var':
        sio.savemat(mat, dict(labels=np.ones((12, 16))))
    elif breakage == 'image_without_mat':
        _drop(mat)
    elif breakage == 'mat_without_image':
        _drop(img)
    elif breakage == 'corrupt_mat':
        with open(mat, 'wb') as f:
            f.write(b'not a mat file' * 20)
    elif breakage == 'empty_split':
        for folder in ('images', 'groundTruth'):
            path = osp.join(root, folder, 'train')
            for name in os.listdir(path):
                _drop(osp.join(path, name))
    with pytest.raises(error, match=message):
        build(root)


@pytest.mark.parametrize('kwargs,message', [
    (dict(mode='per_pixel'), 'mode must be one of'),
    (dict(split='trainval'), 'split must be one of'),
])
def test_bad_arguments(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        build(make_tree(tmp_path), **kwargs)


@pytest.mark.parametrize('content,message', [
    ('truncated', 'loadmat failed'),
    ('no_segmentation', "has no 'Segmentation' field"),
    ('size_mismatch', 'annotation 1 is'),
    ('missing', 'does not exist'),
])
def test_load_bsds_groundtruth_errors(tmp_path, content, message):
    path = str(tmp_path / 'gt.mat')
    if content == 'truncated':
        write_gt(path, [np.random.randint(1, 50, (60, 80))] * 3)
        with open(path, 'rb') as f:
            data = f.read()
        with open(path, 'wb') as f:
            f.write(data[:len(data) // 2])
    elif content == 'no_segmentation':
        cell = np.empty((1, 1), dtype=object)
        cell[0, 0] = dict(Boundaries=np.zeros((3, 3), np.uint8))
        sio.savemat(path, dict(groundTruth=cell))
    elif content == 'size_mismatch':
        write_gt(path, [np.ones((3, 4)), np.ones((4, 3))])
    error = FileNotFoundError if content == 'missing' else ValueError
    with pytest.raises(error, match=message):
        load_bsds_groundtruth(path)


def test_label_and_image_size_mismatch(tmp_path):
    root = make_tree(tmp_path, counts=(2, ))
    write_gt(osp.join(root, 'groundTruth', 'train', '100.mat'),
             [np.ones((10, 16))] * 2)
    ds = build(root, pipeline=[dict(type='LoadImageFromFile'),
                               dict(type='LoadSuperpixelAnnotations')])
    with pytest.raises(ValueError, match=r'is \(10, 16\) .* is \(12, 16\)'):
        ds[0]


# ------------------------------------------------------------------ real
@pytest.fixture(scope='module')
def bsds_root():
    return shared_path('BSDS500')


@pytest.mark.parametrize('split,num_images', [('train', 200), ('val', 100)])
def test_real_counts(bsds_root, split, num_images):
    gt_dir = osp.join(bsds_root, 'groundTruth', split)
    total = sum(
        sio.loadmat(osp.join(gt_dir, name))['groundTruth'].size
        for name in os.listdir(gt_dir) if name.endswith('.mat'))
    start = time.perf_counter()
    ds = build(bsds_root, split=split, mode='per_annotation')
    seconds = time.perf_counter() - start
    print(f'\nBSDS500 {split}: {num_images} images, {len(ds)} annotations '
          f'(per_annotation build {seconds:.2f} s)')
    assert len(ds) == total
    assert len(build(bsds_root, split=split, mode='per_image')) == num_images


def test_real_test_split_absent_is_explained(bsds_root):
    if osp.isdir(osp.join(bsds_root, 'images', 'test')):
        pytest.skip('the test split is present here')
    with pytest.raises(FileNotFoundError, match=r"found \['train', 'val'\]"):
        build(bsds_root, split='test')


def locate(big, small):
    """Top-left (y, x) of the exact copy of ``small`` inside ``big``."""
    scores = cv2.matchTemplate(big.astype(np.float32),
                               small.astype(np.float32), cv2.TM_SQDIFF)
    x, y = cv2.minMaxLoc(scores)[2]
    h, w = small.shape[:2]
    np.testing.assert_array_equal(big[y:y + h, x:x + w], small)
    return y, x


def test_real_per_annotation_crop_flip_alignment(bsds_root):
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadSuperpixelAnnotations'),
        dict(type='RandomCrop', crop_size=(208, 208)),
        dict(type='RandomFlip', prob=1.0, direction='vertical'),
        dict(type='PackSuperpixelInputs'),
    ]
    ds = build(bsds_root, split='train', mode='per_annotation',
               pipeline=pipeline)
    np.random.seed(0)
    for index in (0, 1, len(ds) - 1):
        info = ds.get_data_info(index)
        out = ds[index]
        sample = out['data_samples']
        assert out['inputs'].shape == (3, 208, 208)
        assert sample.annotation_index == info['annotation_index']
        assert sample.flip and sample.flip_direction == 'vertical'
        assert 'gt_annotations' not in sample
        image = out['inputs'].numpy().transpose(1, 2, 0)[::-1]
        label = sample.gt_sem_seg.data[0].numpy()[::-1]
        raw_img = mmcv.imread(info['img_path'])
        raw = load_bsds_groundtruth(info['gt_path'])
        y, x = locate(raw_img, image)
        expected = relabel(raw[info['annotation_index']])
        np.testing.assert_array_equal(label, expected[y:y + 208, x:x + 208])


def test_real_per_image_packs_all_annotations(bsds_root):
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadSuperpixelAnnotations'),
        dict(type='RandomFlip', prob=1.0, direction='horizontal'),
        dict(type='PackSuperpixelInputs'),
    ]
    ds = build(bsds_root, split='val', mode='per_image', test_mode=True,
               pipeline=pipeline)
    info = ds.get_data_info(3)
    sample = ds[3]['data_samples']
    raw = load_bsds_groundtruth(info['gt_path'])
    annotations = sample.gt_annotations.data
    assert tuple(annotations.shape) == raw.shape
    assert annotations.shape[0] == info['num_annotations'] >= 4
    expected = np.stack([relabel(a)[:, ::-1] for a in raw])
    np.testing.assert_array_equal(annotations.numpy(), expected)
    np.testing.assert_array_equal(sample.gt_sem_seg.data[0].numpy(),
                                  expected[0])
    assert str(annotations.dtype) == 'torch.int64'
    assert sample.annotation_index is None
