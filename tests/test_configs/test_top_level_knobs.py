"""One top-level ``data_root``, ``crop_size`` and ``labeled_split`` steer
every dataset, transform and data preprocessor of every shipped config; one
``max_iters`` rescales the schedules and phases of the configs written
relative to it, one ``num_classes`` reaches every head and DDFP's flow; and
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
        if node.get('type') == 'RandomResizedCrop':
            yield node['size']
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
    # multi-crop configs (DINO) size their small views by local_crop_size
    local = 'local_crop_size' in Config.fromfile(osp.join(REPO, config))
    cfg = load(config, crop_size=(64, 64),
               **(dict(local_crop_size=(24, 24)) if local else {}))
    sizes = list(crop_sizes(cfg.to_dict()))
    assert (64, 64) in sizes and set(sizes) <= {(64, 64), (24, 24)}, sizes
    assert ((24, 24) in sizes) == local, sizes


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


def test_a_share_placeholder_scales_a_number():
    cfg = Config(dict(max_iters=1500, lr=0.5,
                      t=dict(start='${max_iters*0.2}', end='${max_iters}',
                             half='${lr*0.5}', text='at ${max_iters*0.1}')))
    fill_placeholders(cfg)
    assert cfg.t.start == 300 and isinstance(cfg.t.start, int)
    assert cfg.t.end == 1500 and cfg.t.half == 0.25
    assert cfg.t.text == 'at 150'
    bad = Config(dict(name='x', t=dict(v='${name*0.5}')))
    with pytest.raises(ConfigError, match='not a number'):
        fill_placeholders(bad)


BUDGETED = [c for c in RUNNABLE if 'max_iters' in Config.fromfile(
    osp.join(REPO, c)) and not c.startswith(osp.join('configs', 'scn')) and
    not c.startswith(osp.join('configs', 'ainet'))]


def schedule_ends(cfg: Config) -> list:
    return [s['end'] for s in cfg.param_scheduler if 'end' in s]


@pytest.mark.parametrize('key', ['max_iters', 'train_cfg.max_iters'])
@pytest.mark.parametrize('config', BUDGETED)
def test_one_budget_override_rescales_schedule_and_phases(config, key):
    cfg = load(config)
    base = cfg.train_cfg.max_iters
    scaled = load(config, **{key: 2 * base})
    assert scaled.train_cfg.max_iters == 2 * base
    assert max(schedule_ends(scaled)) == 2 * max(schedule_ends(cfg))
    if cfg.get('val_cfg'):  # self-supervised pretraining has no validation
        assert scaled.train_cfg.val_interval == pytest.approx(
            2 * cfg.train_cfg.val_interval, abs=1)
    semi = cfg.model.get('semi_train_cfg')
    if semi:
        for phase in ('sup_only_iters', 'perturb_start_iter'):
            assert scaled.model.semi_train_cfg[phase] == pytest.approx(
                2 * semi[phase], abs=1)


def test_demo_and_voc_semi_configs_follow_the_budget():
    assert 'configs/demo/ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-' \
        '128x128.py' in BUDGETED
    assert 'configs/ddfp/ddfp_deeplabv3plus_r101-d16_4xb8-80e_voc12aug-' \
        '513x513.py' in BUDGETED


def head_classes(node: Any) -> Iterator[Any]:
    """``num_classes`` of every head and ``num_components`` of flows."""
    if isinstance(node, dict):
        for key in ('num_classes', 'num_components'):
            if key in node:
                yield node[key]
        for value in node.values():
            yield from head_classes(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from head_classes(value)


@pytest.mark.parametrize('config', [
    c for c in RUNNABLE if 'num_classes' in Config.fromfile(osp.join(REPO, c))
])
def test_num_classes_reaches_every_head_and_the_flow(config):
    cfg = load(config, num_classes=11)
    found = list(head_classes(cfg.model.to_dict()))
    assert found and found == [11] * len(found), found


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
