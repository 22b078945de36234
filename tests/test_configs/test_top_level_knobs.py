"""One top-level ``data_root``, ``crop_size`` and ``labeled_split`` steer
every dataset, transform and data preprocessor of every shipped config, and
``fill_placeholders`` keeps the type of a value that fills a whole string."""
import glob
import os.path as osp
from typing import Any, Iterator

import pytest
from mmengine.config import Config

import mmsuperpix  # noqa: F401
from conftest import REPO, run_tool
from mmsuperpix.utils import ConfigError, fill_placeholders, load_run_config

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
CONFIGS = sorted(
    osp.relpath(p, REPO) for p in glob.glob(
        osp.join(REPO, 'configs', '**', '*.py'), recursive=True))
#: Bases that only hold a model, schedule or runtime: no dataset to steer.
PARTIAL = [c for c in CONFIGS if not set(LOADERS) & set(
    Config.fromfile(osp.join(REPO, c)))]
RUNNABLE = [c for c in CONFIGS if c not in PARTIAL]


def load(config: str, **options) -> Config:
    return load_run_config(osp.join(REPO, config), options,
                           check_files=False)


def leaf_datasets(dataset: dict) -> Iterator[dict]:
    """The datasets inside wrappers (``datasets`` lists, ``dataset``)."""
    if 'datasets' in dataset:
        for child in dataset['datasets']:
            yield from leaf_datasets(child)
    elif 'dataset' in dataset:
        yield from leaf_datasets(dataset['dataset'])
    else:
        yield dataset


def all_datasets(cfg: Config, loaders=LOADERS) -> list:
    return [d for key in loaders if cfg.get(key)
            for d in leaf_datasets(cfg[key]['dataset'])]


def crop_sizes(node: Any, key: str = '') -> Iterator[Any]:
    """Every RandomCrop ``crop_size``, Pad ``size`` and preprocessor
    ``size`` in the config."""
    if isinstance(node, dict):
        if node.get('type') == 'RandomCrop':
            yield node['crop_size']
        if node.get('type') == 'Pad':
            yield node['size']
        if 'preprocessor' in key and node.get('size') is not None:
            yield node['size']
        for name, value in node.items():
            yield from crop_sizes(value, str(name))
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from crop_sizes(value, key)


def test_only_model_schedule_and_runtime_bases_have_no_dataloader():
    base = osp.join('configs', '_base_', '')
    assert PARTIAL and all(
        c.startswith(base) and not c.startswith(base + 'datasets')
        for c in PARTIAL), PARTIAL


@pytest.mark.parametrize('config', RUNNABLE)
def test_data_root_reaches_every_dataset(config):
    datasets = all_datasets(load(config, data_root='/x/y'))
    assert datasets
    assert [d.get('data_root') for d in datasets] == ['/x/y'] * len(datasets)


@pytest.mark.parametrize('config', RUNNABLE)
def test_crop_size_reaches_every_crop_pad_and_preprocessor(config):
    cfg = load(config, crop_size=(64, 64))
    sizes = list(crop_sizes(cfg.to_dict()))
    assert sizes and sizes == [(64, 64)] * len(sizes)


@pytest.mark.parametrize(
    'config',
    [c for c in RUNNABLE if 'labeled_split' in Config.fromfile(
        osp.join(REPO, c))])
def test_labeled_split_switches_every_training_list(config):
    datasets = all_datasets(load(config, labeled_split=7),
                            ['train_dataloader'])
    lists = [d[k] for d in datasets for k in ('ann_file', 'disjoint_from')
             if d.get(k)]
    assert lists and all(p.startswith('splits/7/') for p in lists), lists


def test_a_whole_placeholder_keeps_the_value_type():
    cfg = Config(dict(size=(3, 4), root='/r', n=2,
                      t=dict(crop='${size}', path='${root}/a_${n}.txt',
                             ids=['${n}'])))
    fill_placeholders(cfg)
    assert cfg.t.crop == (3, 4) and isinstance(cfg.t.crop, tuple)
    assert cfg.t.path == '/r/a_2.txt' and cfg.t.ids == [2]


def test_an_undefined_placeholder_names_the_key():
    cfg = Config(dict(t=dict(crop='${crop_size}')))
    with pytest.raises(ConfigError, match=r"\$\{crop_size\}.*--cfg-options "
                       'crop_size='):
        fill_placeholders(cfg)


def test_print_config_shows_the_filled_config():
    proc = run_tool(['tools/misc/print_config.py', osp.join(
        'configs', 'demo',
        'deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py'),
        '--cfg-options', 'data_root=/x/y', 'crop_size=(64,64)'])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert '${' not in proc.stdout
    assert "data_root='/x/y'" in proc.stdout
    assert 'data/demo_voc' not in proc.stdout
