"""Shared geometry, then branches: aligned views and the validity map."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.structures import SegDataSample

import mmsuperpix  # noqa: F401
from mmsuperpix.datasets.transforms import LoadUnlabeledValidity, MultiBranch
from mmsuperpix.registry import DATASETS

init_default_scope('mmseg')

BRANCHES = ['sup', 'unsup_teacher', 'unsup_student']
META_KEYS = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
             'pad_shape', 'scale_factor', 'flip', 'flip_direction',
             'reduce_zero_label', 'valid_shape')


def record_valid_shape(results):
    """Test-only step before Pad: the image extent before padding."""
    results['valid_shape'] = results['img'].shape[:2]
    return results


def geometric():
    return [
        dict(type='RandomResize', scale=(512, 192), ratio_range=(0.5, 2.0),
             keep_ratio=True),
        dict(type='RandomCrop', crop_size=(128, 128)),
        dict(type='RandomFlip', prob=0.5),
        record_valid_shape,
        dict(type='Pad', size=(128, 128)),
    ]


def pack():
    return dict(type='PackSegInputs', meta_keys=META_KEYS)


def labeled_set(demo_root):
    return DATASETS.build(dict(
        type='VOCSplitDataset', data_root=osp.join(demo_root, 'VOC2012'),
        ann_file=osp.join(demo_root, 'VOC2012', 'splits', '2', 'labeled.txt'),
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadAnnotations'), *geometric(),
                  dict(type='MultiBranch', branch_field=BRANCHES,
                       sup=[pack()])]))


def unlabeled_set(demo_root, student_aug):
    return DATASETS.build(dict(
        type='VOCSplitDataset', data_root=osp.join(demo_root, 'VOC2012'),
        ann_file=osp.join(demo_root, 'VOC2012', 'splits', '2', 'unlabeled.txt'),
        data_prefix=dict(img_path='JPEGImages', seg_map_path=None),
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadUnlabeledValidity'), *geometric(),
                  dict(type='MultiBranch', branch_field=BRANCHES,
                       unsup_teacher=[pack()],
                       unsup_student=[*student_aug, pack()])]))


def check_validity(sample: SegDataSample):
    """254 (valid, label unknown) over the image, 255 over the padding
    (bottom / right)."""
    seg = sample.gt_sem_seg.data
    assert seg.shape == (1, 128, 128) and seg.dtype == torch.int64
    h, w = sample.valid_shape
    expected = torch.full((128, 128), 255, dtype=torch.int64)
    expected[:h, :w] = 254
    assert torch.equal(seg[0], expected)
    return h < 128 or w < 128


def test_unlabeled_views_identical_without_strong_aug(demo_root):
    ds = unlabeled_set(demo_root, student_aug=[])
    np.random.seed(0)
    padded = 0
    # crops of 128 get padding when the drawn ratio is below 2 / 3 (~11%)
    for _ in range(20):
        if padded >= 2:
            break
        for k in range(len(ds)):
            out = ds[k]
            assert set(out) == {'inputs', 'data_samples'}
            assert list(out['inputs']) == BRANCHES
            assert out['inputs']['sup'] is None
            assert out['data_samples']['sup'] is None
            teacher = out['inputs']['unsup_teacher']
            student = out['inputs']['unsup_student']
            assert teacher.shape == (3, 128, 128)
            assert teacher.dtype == torch.uint8
            assert torch.equal(teacher, student)
            t_s = out['data_samples']['unsup_teacher']
            s_s = out['data_samples']['unsup_student']
            assert t_s is not s_s
            assert torch.equal(t_s.gt_sem_seg.data, s_s.gt_sem_seg.data)
            assert t_s.flip == s_s.flip
            path = ds.get_data_info(k)['img_path']
            assert t_s.img_path == s_s.img_path == path
            assert 'seg_map_path' not in t_s
            padded += check_validity(t_s)
            # the padding of the image is zero where the map says 255
            pad = t_s.gt_sem_seg.data[0] == 255
            assert (teacher[:, pad] == 0).all()
    assert padded > 0, 'no sample got padding; the check saw nothing'


def test_student_is_the_gray_teacher(demo_root):
    gray = dict(type='StrongPhotometricAugment', jitter_prob=0, gray_prob=1,
                blur_prob=0)
    ds = unlabeled_set(demo_root, student_aug=[gray])
    np.random.seed(1)
    for k in range(len(ds)):
        out = ds[k]
        teacher = out['inputs']['unsup_teacher'].permute(1, 2, 0).numpy()
        student = out['inputs']['unsup_student'].permute(1, 2, 0).numpy()
        expected = cv2.cvtColor(cv2.cvtColor(teacher, cv2.COLOR_BGR2GRAY),
                                cv2.COLOR_GRAY2BGR)
        assert np.array_equal(student, expected)
        assert not np.array_equal(student, teacher)


def test_default_strong_aug_changes_only_pixels(demo_root):
    ds = unlabeled_set(demo_root,
                       student_aug=[dict(type='StrongPhotometricAugment')])
    np.random.seed(2)
    for k in range(len(ds)):
        out = ds[k]
        t_s = out['data_samples']['unsup_teacher']
        s_s = out['data_samples']['unsup_student']
        assert out['inputs']['unsup_student'].shape == (3, 128, 128)
        assert torch.equal(t_s.gt_sem_seg.data, s_s.gt_sem_seg.data)
        assert t_s.metainfo == s_s.metainfo


def test_labeled_sample_fills_only_sup(demo_root):
    ds = labeled_set(demo_root)
    np.random.seed(0)
    for k in range(len(ds)):
        out = ds[k]
        assert out['inputs']['unsup_teacher'] is None
        assert out['inputs']['unsup_student'] is None
        assert out['data_samples']['unsup_student'] is None
        assert out['inputs']['sup'].shape == (3, 128, 128)
        sample = out['data_samples']['sup']
        seg = sample.gt_sem_seg.data
        assert seg.shape == (1, 128, 128)
        h, w = sample.valid_shape
        assert (seg[0, h:] == 255).all() and (seg[0, :, w:] == 255).all()
        assert sample.seg_map_path.endswith('.png')


def test_branches_run_on_copies():
    results = dict(img=np.full((4, 5, 3), 10, np.uint8))
    LoadUnlabeledValidity()(results)

    def darken(r):
        r['img'][:] = 0
        return r

    mb = MultiBranch(unsup_teacher=[dict(type='PackSegInputs')],
                     unsup_student=[darken, dict(type='PackSegInputs')])
    out = mb(results)
    assert (out['inputs']['unsup_teacher'] == 10).all()
    assert (out['inputs']['unsup_student'] == 0).all()
    assert (results['img'] == 10).all()
    assert out['inputs']['sup'] is None


def test_dropped_sample_gives_none():
    mb = MultiBranch(sup=[lambda r: None, dict(type='PackSegInputs')])
    assert mb(dict(img=np.zeros((4, 4, 3), np.uint8))) is None


@pytest.mark.parametrize('kwargs,error,match', [
    (dict(), ValueError, 'no branch pipeline'),
    (dict(teacher=[dict(type='PackSegInputs')]), ValueError,
     r"\['teacher'\].*branch_field"),
    (dict(branch_field='sup', sup=[dict(type='PackSegInputs')]), TypeError,
     'branch_field'),
    (dict(branch_field=['sup', 'sup'], sup=[dict(type='PackSegInputs')]),
     ValueError, 'repeats'),
    (dict(sup=dict(type='PackSegInputs')), TypeError, 'non-empty list'),
])
def test_bad_multi_branch_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        MultiBranch(**kwargs)


def test_branch_without_pack_says_so():
    mb = MultiBranch(sup=[dict(type='LoadUnlabeledValidity')])
    with pytest.raises(ValueError, match='PackSegInputs'):
        mb(dict(img=np.zeros((4, 4, 3), np.uint8)))


def test_validity_map_keys():
    results = LoadUnlabeledValidity()(dict(img=np.zeros((6, 7, 3), np.uint8),
                                           seg_fields=[]))
    assert results['gt_seg_map'].shape == (6, 7)
    assert results['gt_seg_map'].dtype == np.uint8
    assert (results['gt_seg_map'] == 254).all()  # valid, label unknown
    assert results['seg_fields'] == ['gt_seg_map']
    # no seg_fields yet: created
    assert LoadUnlabeledValidity()(dict(img=np.zeros(
        (2, 2, 3), np.uint8)))['seg_fields'] == ['gt_seg_map']


def test_validity_map_errors():
    with pytest.raises(KeyError, match='LoadImageFromFile'):
        LoadUnlabeledValidity()(dict())
    with pytest.raises(ValueError, match='already has a gt_seg_map'):
        LoadUnlabeledValidity()(dict(img=np.zeros((2, 2, 3), np.uint8),
                                     gt_seg_map=np.zeros((2, 2), np.uint8)))


def test_dataloader_mixes_sources(demo_root):
    """ConcatDataset + MultiSourceSampler through mmengine's Runner."""
    from mmengine.runner import Runner
    cfg = dict(
        batch_size=3, num_workers=0,
        sampler=dict(type='MultiSourceSampler', batch_size=3,
                     source_ratio=[1, 2]),
        dataset=dict(type='ConcatDataset', datasets=[
            labeled_set(demo_root),
            unlabeled_set(demo_root, [dict(type='StrongPhotometricAugment')])
        ]))
    loader = Runner.build_dataloader(cfg, seed=0)
    it = iter(loader)
    for _ in range(2):
        batch = next(it)
        assert [x is not None for x in batch['inputs']['sup']] == [
            True, False, False]
        assert [x is not None for x in batch['inputs']['unsup_student']] == [
            False, True, True]
    # and on to the model's data preprocessor
    from mmsuperpix.registry import MODELS
    pre = MODELS.build(dict(
        type='MultiBranchDataPreprocessor',
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[0, 0, 0],
                               std=[1, 1, 1], size=(128, 128))))
    out = pre(batch, training=True)
    shapes = {b: tuple(x.shape) for b, x in out['inputs'].items()}
    assert shapes == dict(sup=(1, 3, 128, 128),
                          unsup_teacher=(2, 3, 128, 128),
                          unsup_student=(2, 3, 128, 128))
