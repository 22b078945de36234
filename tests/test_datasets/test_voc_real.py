"""The 48 real VOC 2012 images of ../shared/data through the real dataset
class and the VOC training pipeline of configs/_base_/datasets."""
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from conftest import REPO, shared_path
from mmsuperpix.registry import DATASETS, MODELS
from mmsuperpix.utils import fill_placeholders

init_default_scope('mmseg')
VOC_BASE = osp.join(REPO, 'configs', '_base_', 'datasets',
                    'pascal_voc12_aug.py')


@pytest.fixture(scope='module')
def voc_root():
    return shared_path('VOC2012')


def ids_in(voc_root):
    names = sorted(f for f in os.listdir(osp.join(voc_root, 'JPEGImages'))
                   if f.endswith('.jpg'))
    return [osp.splitext(n)[0] for n in names]


def voc_dataset(voc_root, ann_file, pipeline_key='train_pipeline'):
    cfg = Config.fromfile(VOC_BASE)
    fill_placeholders(cfg)  # crop_size in the pipeline is late-bound
    ds_cfg = cfg.train_dataloader.dataset
    ds_cfg.update(data_root=voc_root, ann_file=ann_file,
                  pipeline=cfg[pipeline_key])
    return DATASETS.build(ds_cfg)


def test_real_voc_through_train_pipeline(voc_root, tmp_path):
    ids = ids_in(voc_root)
    assert len(ids) == 48
    split = tmp_path / 'present.txt'  # the semi-supervised pair format
    split.write_text(''.join(f'JPEGImages/{i}.jpg SegmentationClass/{i}.png\n'
                             for i in ids))
    ds = voc_dataset(voc_root, str(split))
    assert len(ds) == 48
    seen = set()
    for k in range(0, 48, 6):
        sample = ds[k]
        img, seg = sample['inputs'], sample['data_samples'].gt_sem_seg.data
        assert img.shape == (3, 512, 512) and seg.shape == (1, 512, 512)
        values = set(np.unique(seg.numpy()).tolist())
        assert values <= set(range(21)) | {255}
        seen |= values - {0, 255}
    assert len(seen) >= 3  # several real object classes


def test_real_voc_test_pipeline_keeps_original_labels(voc_root, tmp_path):
    split = tmp_path / 'ids.txt'  # the ImageSets id format
    split.write_text('2007_000033\n2007_000042\n')
    ds = voc_dataset(voc_root, str(split), 'test_pipeline')
    sample = ds[0]
    seg = sample['data_samples'].gt_sem_seg.data
    h, w = sample['data_samples'].ori_shape
    assert seg.shape[1:] == (h, w)
    assert sample['inputs'].shape[1:] == sample['data_samples'].img_shape


def test_standard_split_against_partial_data_is_a_clear_error(voc_root):
    val_list = shared_path('VOC2012_splits', 'pascal', 'val.txt')
    with pytest.raises(FileNotFoundError, match=r'1427 of 1449 images'):
        voc_dataset(voc_root, val_list)


def test_real_voc_through_the_ddfp_data_pipeline(voc_root, tmp_path):
    """The DDFP VOC config's semi-supervised loader and preprocessor on the
    48 real images (10 labeled, 38 unlabeled), crop 513."""
    from mmengine.runner import Runner

    ids = ids_in(voc_root)
    (tmp_path / 'labeled.txt').write_text(
        ''.join(f'JPEGImages/{i}.jpg SegmentationClass/{i}.png\n'
                for i in ids[:10]))
    (tmp_path / 'unlabeled.txt').write_text(
        ''.join(f'JPEGImages/{i}.jpg SegmentationClass/{i}.png\n'
                for i in ids[10:]))
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'ddfp_voc.py'))
    cfg.merge_from_dict({
        'data_root': voc_root,
        'train_dataloader.batch_size': 4,
        'train_dataloader.sampler.batch_size': 4,
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
        'train_dataloader.dataset.datasets.0.ann_file':
        str(tmp_path / 'labeled.txt'),
        'train_dataloader.dataset.datasets.1.ann_file':
        str(tmp_path / 'unlabeled.txt'),
        'train_dataloader.dataset.datasets.1.disjoint_from':
        str(tmp_path / 'labeled.txt'),
    })
    fill_placeholders(cfg)
    loader = Runner.build_dataloader(cfg.train_dataloader)
    assert len(loader.dataset.datasets[0]) == 10
    assert len(loader.dataset.datasets[1]) == 38
    preprocessor = MODELS.build(cfg.model.data_preprocessor)
    data = preprocessor(next(iter(loader)), True)
    assert set(data['inputs']) == {'sup', 'unsup_teacher', 'unsup_student'}
    for branch, tensor in data['inputs'].items():
        assert tensor.shape == (2, 3, 513, 513), branch
    labels = torch.stack(
        [s.gt_sem_seg.data for s in data['data_samples']['sup']])
    assert set(labels.unique().tolist()) <= set(range(21)) | {255}
    validity = torch.stack(
        [s.gt_sem_seg.data for s in data['data_samples']['unsup_teacher']])
    # the reference labels (diagnostics only), 254 = unknown, 255 = padding
    assert set(validity.unique().tolist()) <= set(range(21)) | {254, 255}
