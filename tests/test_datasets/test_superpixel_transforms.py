"""LoadSuperpixelAnnotations and PackSuperpixelInputs on synthetic arrays."""
import cv2
import numpy as np
import pytest
import scipy.io as sio
import torch
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from mmsuperpix.datasets.transforms import (LoadSuperpixelAnnotations,
                                            PackSuperpixelInputs)
from mmsuperpix.registry import TRANSFORMS

init_default_scope('mmseg')
H, W = 9, 13


def relabel(ann):
    return np.unique(ann, return_inverse=True)[1].reshape(ann.shape)


def write_mat(path, segs):
    cell = np.empty((1, len(segs)), dtype=object)
    for k, seg in enumerate(segs):
        cell[0, k] = dict(Segmentation=seg.astype(np.uint16))
    sio.savemat(str(path), dict(groundTruth=cell))
    return str(path)


@pytest.fixture
def segs():
    rng = np.random.default_rng(0)
    return [rng.integers(1, 40, (H, W)) * (k + 2) for k in range(3)]


def load(path, **results):
    return LoadSuperpixelAnnotations()(dict(gt_path=str(path), **results))


def test_mat_single_annotation(tmp_path, segs):
    out = load(write_mat(tmp_path / 'a.mat', segs), annotation_index=1,
               img_shape=(H, W), seg_fields=['other'])
    assert out['gt_seg_map'].dtype == np.uint16
    np.testing.assert_array_equal(out['gt_seg_map'], relabel(segs[1]))
    assert 'gt_annotations' not in out
    assert out['seg_fields'] == ['other', 'gt_seg_map']


def test_mat_all_annotations_channels_last(tmp_path, segs):
    out = load(write_mat(tmp_path / 'a.mat', segs), annotation_index=None,
               img=np.zeros((H, W, 3), np.uint8))
    ann = out['gt_annotations']
    assert ann.shape == (H, W, 3) and ann.dtype == np.uint16
    assert ann.flags.c_contiguous
    for k, seg in enumerate(segs):
        np.testing.assert_array_equal(ann[..., k], relabel(seg))
        assert ann[..., k].max() == len(np.unique(seg)) - 1
    np.testing.assert_array_equal(out['gt_seg_map'], ann[..., 0])
    assert out['seg_fields'] == ['gt_seg_map', 'gt_annotations']


def test_csv_with_negative_and_sparse_labels(tmp_path):
    labels = np.array([[-5, 70000, 3], [3, -5, 12]])
    np.savetxt(tmp_path / 'a.csv', labels, fmt='%d', delimiter=',')
    out = load(tmp_path / 'a.csv')  # no annotation_index: per image
    np.testing.assert_array_equal(out['gt_seg_map'], [[0, 3, 1], [1, 0, 2]])
    assert out['gt_annotations'].shape == (2, 3, 1)


def test_sixteen_bit_png(tmp_path):
    labels = np.array([[60000, 7], [7, 300]], np.uint16)
    cv2.imwrite(str(tmp_path / 'a.png'), labels)
    out = load(tmp_path / 'a.png', annotation_index=0)
    np.testing.assert_array_equal(out['gt_seg_map'], [[2, 0], [0, 1]])


@pytest.mark.parametrize('direction', ['horizontal', 'vertical'])
def test_flip_keeps_annotations_aligned(tmp_path, segs, direction):
    out = load(write_mat(tmp_path / 'a.mat', segs),
               img=np.zeros((H, W, 3), np.uint8), img_shape=(H, W))
    out = TRANSFORMS.build(dict(type='RandomFlip', prob=1.0,
                                direction=direction))(out)
    axis = 1 if direction == 'horizontal' else 0
    np.testing.assert_array_equal(out['gt_seg_map'],
                                  out['gt_annotations'][..., 0])
    for k, seg in enumerate(segs):
        np.testing.assert_array_equal(out['gt_annotations'][..., k],
                                      np.flip(relabel(seg), axis))


def test_resize_and_crop_keep_annotations(tmp_path, segs):
    out = load(write_mat(tmp_path / 'a.mat', segs),
               img=np.zeros((H, W, 3), np.uint8), img_shape=(H, W))
    out = TRANSFORMS.build(dict(type='Resize', scale=(26, 18)))(out)
    assert out['gt_annotations'].shape == (18, 26, 3)
    assert out['gt_annotations'].dtype == np.uint16
    np.testing.assert_array_equal(out['gt_annotations'][..., 0],
                                  out['gt_seg_map'])
    np.testing.assert_array_equal(out['gt_annotations'][::2, ::2, 1],
                                  relabel(segs[1]))  # nearest, x2
    out = TRANSFORMS.build(dict(type='RandomCrop', crop_size=(8, 8)))(out)
    assert out['gt_annotations'].shape == (8, 8, 3)
    np.testing.assert_array_equal(out['gt_annotations'][..., 0],
                                  out['gt_seg_map'])


def test_error_messages(tmp_path, segs):
    mat = write_mat(tmp_path / 'a.mat', segs)
    with pytest.raises(KeyError, match="needs results\\['gt_path'\\]"):
        LoadSuperpixelAnnotations()(dict(img_shape=(H, W)))
    with pytest.raises(ValueError, match=r'is \(9, 13\) .* is \(9, 12\)'):
        load(mat, img_shape=(9, 12))
    with pytest.raises(IndexError, match='holds 3 annotation'):
        load(mat, annotation_index=3)
    with pytest.raises(TypeError, match='int or None'):
        load(mat, annotation_index='1')
    with pytest.raises(ValueError, match='suffix must be one of'):
        load(tmp_path / 'a.txt')
    with pytest.raises(FileNotFoundError, match='does not exist'):
        load(tmp_path / 'absent.csv')
    (tmp_path / 'bad.csv').write_text('1,2\n3,x\n')
    with pytest.raises(ValueError, match='not a label-map .csv'):
        load(tmp_path / 'bad.csv')
    cv2.imwrite(str(tmp_path / 'rgb.png'), np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError, match='single-channel'):
        load(tmp_path / 'rgb.png')
    (tmp_path / 'broken.png').write_bytes(b'\x89PNG broken')
    with pytest.raises(ValueError, match='not a readable PNG'):
        load(tmp_path / 'broken.png')
    np.savetxt(tmp_path / 'many.csv', np.arange(300 * 300).reshape(300, 300),
               fmt='%d', delimiter=',')
    with pytest.raises(ValueError, match='90000 segments'):
        load(tmp_path / 'many.csv')


def packed(**extra):
    rng = np.random.default_rng(1)
    results = dict(img=rng.integers(0, 255, (H, W, 3), dtype=np.uint8),
                   img_path='a.jpg', gt_path='a.mat', annotation_index=None,
                   img_shape=(H, W), ori_shape=(H, W))
    results.update(extra)
    return PackSuperpixelInputs()(results)


def test_pack_everything():
    rng = np.random.default_rng(2)
    ann = rng.integers(0, 50, (H, W, 4)).astype(np.uint16)
    superpixels = rng.integers(0, 9, (H, W)).astype(np.int32)
    out = packed(gt_seg_map=ann[..., 0].copy(), gt_annotations=ann,
                 superpixels=superpixels)
    sample = out['data_samples']
    assert out['inputs'].shape == (3, H, W)
    assert sample.gt_sem_seg.data.shape == (1, H, W)
    assert sample.gt_annotations.data.shape == (4, H, W)
    assert sample.gt_annotations.data.dtype == torch.int64
    assert sample.gt_annotations.data.is_contiguous()
    np.testing.assert_array_equal(sample.gt_annotations.data.numpy(),
                                  ann.transpose(2, 0, 1))
    assert sample.gt_superpixels.data.shape == (1, H, W)
    assert sample.gt_superpixels.data.dtype == torch.int64
    np.testing.assert_array_equal(sample.gt_superpixels.data[0].numpy(),
                                  superpixels)
    assert sample.gt_path == 'a.mat' and sample.annotation_index is None


def test_pack_optional_fields():
    sample = packed(gt_seg_map=np.zeros((H, W), np.uint16))['data_samples']
    assert 'gt_annotations' not in sample and 'gt_superpixels' not in sample
    assert 'gt_sem_seg' in sample
    # an (H, W) annotation stack: A = 1 after a cv2 resize drops the axis
    sample = packed(gt_annotations=np.ones((H, W), np.uint16))['data_samples']
    assert sample.gt_annotations.data.shape == (1, H, W)
    with pytest.raises(ValueError, match='one \\(H, W\\) label map'):
        packed(superpixels=np.zeros((H, W, 2), np.int32))


def test_registered_and_repr():
    load_t = TRANSFORMS.build(dict(type='LoadSuperpixelAnnotations'))
    pack_t = TRANSFORMS.build(dict(type='PackSuperpixelInputs'))
    assert isinstance(load_t, LoadSuperpixelAnnotations)
    assert isinstance(pack_t, PackSuperpixelInputs)
    assert 'gt_path' in repr(pack_t)
