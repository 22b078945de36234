"""NYUv2SuperpixelDataset on a generated benchmark-layout tree, and the id
normalisation on the real split lists of ../shared/data."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from conftest import shared_path
from mmsuperpix.datasets import NYUv2SuperpixelDataset
from mmsuperpix.registry import DATASETS

init_default_scope('mmseg')
SIZE = (10, 14)


def make_nyu_tree(root, split='test', ids=(2, 4, 9)):
    """images/<split>/<8-digit id>.png|.jpg, csv_groundTruth/...csv|.png.

    Returns:
        dict: 8-digit id -> the label map written.
    """
    rng = np.random.default_rng(0)
    img_dir = osp.join(root, 'images', split)
    gt_dir = osp.join(root, 'csv_groundTruth', split)
    os.makedirs(img_dir)
    os.makedirs(gt_dir)
    labels = {}
    for n, i in enumerate(ids):
        stem = f'{i:08d}'
        img = rng.integers(0, 255, SIZE + (3, ), dtype=np.uint8)
        cv2.imwrite(osp.join(img_dir, stem + ('.jpg' if n == 1 else '.png')),
                    img)
        label = rng.integers(0, 4, SIZE) * 1000 + 3 * n  # sparse ids
        if n == 2:  # a 16-bit PNG label map instead of a csv
            cv2.imwrite(osp.join(gt_dir, stem + '.png'),
                        label.astype(np.uint16))
        else:
            np.savetxt(osp.join(gt_dir, stem + '.csv'), label, fmt='%d',
                       delimiter=',')
        labels[stem] = label
    return labels


def write_list(path, lines):
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return str(path)


def build(root, **kwargs):
    return DATASETS.build(dict(type='NYUv2SuperpixelDataset', data_root=root,
                               **kwargs))


def test_index_list_padded_and_unpadded(tmp_path):
    make_nyu_tree(str(tmp_path))
    ann = write_list(tmp_path / 'list.txt', ['9', '00000002', '4'])
    ds = build(str(tmp_path), ann_file='list.txt', test_mode=True)
    assert len(ds) == 3
    infos = [ds.get_data_info(i) for i in range(3)]
    assert [osp.basename(i['img_path']) for i in infos] == [
        '00000009.png', '00000002.png', '00000004.jpg']
    assert [osp.basename(i['gt_path']) for i in infos] == [
        '00000009.png', '00000002.csv', '00000004.csv']
    assert all(i['annotation_index'] is None for i in infos)
    assert set(infos[0]) == {'img_path', 'gt_path', 'annotation_index',
                             'num_annotations', 'seg_fields', 'label_map',
                             'reduce_zero_label', 'sample_idx'}
    assert ds.ann_file == ann


def test_without_index_list_uses_every_image(tmp_path):
    make_nyu_tree(str(tmp_path), split='train', ids=(7, 3))
    ds = build(str(tmp_path), split='train')
    assert [osp.basename(ds.get_data_info(i)['img_path'])
            for i in range(len(ds))] == ['00000003.jpg', '00000007.png']


def test_csv_wins_over_png(tmp_path):
    make_nyu_tree(str(tmp_path), ids=(2, ))
    cv2.imwrite(str(tmp_path / 'csv_groundTruth/test/00000002.png'),
                np.zeros(SIZE, np.uint16))
    assert build(str(tmp_path)).get_data_info(0)['gt_path'].endswith('.csv')


def test_pipeline_loads_relabeled_ground_truth(tmp_path):
    labels = make_nyu_tree(str(tmp_path))
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadSuperpixelAnnotations'),
        dict(type='RandomFlip', prob=1.0, direction='horizontal'),
        dict(type='PackSuperpixelInputs'),
    ]
    ds = build(str(tmp_path), pipeline=pipeline)
    for index, stem in enumerate(sorted(labels)):
        sample = ds[index]['data_samples']
        expected = np.unique(labels[stem], return_inverse=True)[1].reshape(
            SIZE)[:, ::-1]
        np.testing.assert_array_equal(sample.gt_sem_seg.data[0].numpy(),
                                      expected)
        assert tuple(sample.gt_annotations.data.shape) == (1, ) + SIZE
        np.testing.assert_array_equal(sample.gt_annotations.data[0].numpy(),
                                      expected)


@pytest.mark.parametrize('breakage,error,message', [
    ('no_root', FileNotFoundError, 'data_root'),
    ('no_list', FileNotFoundError, 'index list'),
    ('missing_image', FileNotFoundError, r"images .* \['00000011'\]"),
    ('missing_gt', FileNotFoundError, r"ground truths .* \['00000004'\]"),
    ('bad_id', ValueError, "'img_4' is not an NYUv2 image index"),
    ('duplicate', ValueError, 'twice'),
    ('empty_list', ValueError, 'lists no images'),
    ('no_gt_folder', FileNotFoundError, 'ground-truth folder'),
])
def test_broken_tree_fails_at_build(tmp_path, breakage, error, message):
    root = str(tmp_path / 'nyu')
    make_nyu_tree(root)
    lines = ['2', '4']
    if breakage == 'no_root':
        root = str(tmp_path / 'nowhere')
    elif breakage == 'missing_image':
        lines.append('11')
    elif breakage == 'missing_gt':
        os.remove(osp.join(root, 'csv_groundTruth/test/00000004.csv'))
    elif breakage == 'bad_id':
        lines.append('img_4')
    elif breakage == 'duplicate':
        lines.append('00000002')
    elif breakage == 'empty_list':
        lines = []
    elif breakage == 'no_gt_folder':
        os.rename(osp.join(root, 'csv_groundTruth'), osp.join(root, 'gt'))
    ann_file = ('absent.txt' if breakage == 'no_list' else write_list(
        tmp_path / 'list.txt', lines))
    with pytest.raises(error, match=message):
        build(root, ann_file=ann_file)


@pytest.mark.parametrize('name,count,example', [
    ('nyuv2_test_subset.txt', 400, '00000002'),
    ('nyuv2_train_subset.txt', 200, '00000007'),
    ('nyuv2_test.txt', 580, '00000001'),
    ('nyuv2_train.txt', 869, '00000003'),
])
def test_real_split_lists_normalise(name, count, example):
    path = shared_path('NYUV2_splits', name)
    with open(path) as f:
        ids = [NYUv2SuperpixelDataset.normalise_id(ln) for ln in f
               if ln.strip()]
    assert len(ids) == len(set(ids)) == count
    assert ids[0] == example
    assert all(len(i) == 8 and i.isdigit() for i in ids)
