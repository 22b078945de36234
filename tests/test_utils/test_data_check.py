"""check_datasets: which dataloaders each tool checks, and that checking
reads lists only (no image is decoded)."""
import os.path as osp

import pytest
from mmcv.transforms import LoadImageFromFile

import mmsuperpix  # noqa: F401
from conftest import DEMO_CONFIG
from mmsuperpix.utils import ConfigError, check_datasets, load_run_config


@pytest.fixture
def demo_cfg(demo_root, tmp_path):
    empty = tmp_path / 'empty.txt'
    empty.write_text('')
    return load_run_config(DEMO_CONFIG, {
        'data_root': osp.join(demo_root, 'VOC2012'),
        'val_dataloader.dataset.ann_file': str(empty)}, check_files=False)


def test_validation_data_is_checked_only_when_validation_runs(demo_cfg):
    with pytest.raises(ConfigError, match=r'^val_dataloader: ValueError: '
                       "split file .*empty.txt' lists no images"):
        check_datasets(demo_cfg, 'train')
    demo_cfg.val_cfg = demo_cfg.val_evaluator = None
    check_datasets(demo_cfg, 'train')


def test_test_phase_checks_the_test_data_only(demo_cfg):
    demo_cfg.test_dataloader.dataset.ann_file = 'ImageSets/Segmentation/' \
        'val.txt'
    check_datasets(demo_cfg, 'test')
    with pytest.raises(ValueError, match="'train' or 'test'"):
        check_datasets(demo_cfg, 'val')


def test_no_image_is_decoded(demo_cfg, monkeypatch):
    def decode(*args):
        raise AssertionError('an image was decoded')

    monkeypatch.setattr(LoadImageFromFile, 'transform', decode)
    demo_cfg.val_cfg = demo_cfg.val_evaluator = None
    check_datasets(demo_cfg, 'train')
