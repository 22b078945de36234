"""VOCSplitDataset: both split formats, unlabeled sets and clear errors."""
import os.path as osp

import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from mmsuperpix.datasets import VOCSplitDataset
from mmsuperpix.registry import DATASETS

init_default_scope('mmseg')

PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]


def build(demo_root, **kwargs):
    cfg = dict(type='VOCSplitDataset', data_root=osp.join(demo_root,
                                                          'VOC2012'),
               ann_file='ImageSets/Segmentation/val.txt', pipeline=PIPELINE)
    cfg.update(kwargs)
    return DATASETS.build(cfg)


@pytest.mark.parametrize('line,expected', [
    ('2007_000032', '2007_000032'),
    ('2007_000032\n', '2007_000032'),
    ('JPEGImages/2007_000032.jpg SegmentationClass/2007_000032.png',
     '2007_000032'),
])
def test_parse_split_line(line, expected):
    assert VOCSplitDataset.parse_split_line(line) == expected


def test_id_list_and_pair_list_give_the_same_samples(demo_root):
    ids = build(demo_root)
    pairs = build(demo_root, ann_file=osp.join(demo_root, 'VOC2012', 'splits',
                                               'val.txt'))
    assert len(ids) == len(pairs) == 4
    for a, b in zip(ids.data_list, pairs.data_list):
        assert a['img_path'] == b['img_path']
        assert a['seg_map_path'] == b['seg_map_path']


def test_sample_through_pipeline(demo_root):
    sample = build(demo_root)[0]
    img = sample['inputs']
    seg = sample['data_samples'].gt_sem_seg.data
    assert img.shape[0] == 3 and img.shape[1:] == seg.shape[1:]
    assert set(np.unique(seg.numpy())) <= {0, 1, 3, 7, 8, 15, 255}
    assert sample['data_samples'].metainfo['img_path'].endswith(
        'demo_000008.jpg')


def test_unlabeled_set_has_no_seg_maps(demo_root):
    ds = build(
        demo_root,
        ann_file=osp.join(demo_root, 'VOC2012', 'splits', '2', 'unlabeled.txt'),
        data_prefix=dict(img_path='JPEGImages', seg_map_path=None),
        pipeline=[dict(type='LoadImageFromFile')])
    assert len(ds) == 6
    assert all('seg_map_path' not in info for info in ds.data_list)
    assert ds[0]['img'].ndim == 3


def test_missing_data_root_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match='data_root .* does not exist'
                       '.*--cfg-options'):
        VOCSplitDataset(ann_file='x.txt', data_root=str(tmp_path / 'nope'))


def test_missing_split_file(demo_root):
    with pytest.raises(FileNotFoundError, match='split file .*missing.txt'):
        build(demo_root, ann_file='missing.txt')


def test_split_naming_absent_images(demo_root, tmp_path):
    split = tmp_path / 'split.txt'
    split.write_text('demo_000000\nnot_there_1\nnot_there_2\n')
    with pytest.raises(FileNotFoundError,
                       match=r'2 of 3 images .*not_there_1'):
        build(demo_root, ann_file=str(split))


def test_missing_label_maps(demo_root):
    with pytest.raises(FileNotFoundError, match='4 of 4 label maps'):
        build(demo_root, data_prefix=dict(img_path='JPEGImages',
                                          seg_map_path='SegmentationClassAug'))


@pytest.mark.parametrize('text,message', [
    ('', 'lists no images'),
    ('demo_000000\ndemo_000000\n', 'more than once'),
])
def test_bad_split_contents(demo_root, tmp_path, text, message):
    split = tmp_path / 'split.txt'
    split.write_text(text)
    with pytest.raises(ValueError, match=message):
        build(demo_root, ann_file=str(split))
