"""A top-level variable that the config only used while it was read
(``max_iters = 1500`` substituted into train_cfg and the scheduler) cannot
be overridden silently: --cfg-options on it is refused, naming the entries
that hold its value; late-bound and runner keys pass."""
import os.path as osp

import pytest

from conftest import REPO
from mmsuperpix.utils import ConfigError, load_run_config

DDFP_VOC = osp.join(REPO, 'configs', 'ddfp_voc.py')


def load(options):
    return load_run_config(DDFP_VOC, options, check_files=False)


DEAD_BUDGET = """
max_iters = 1500
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters)
param_scheduler = [dict(type='PolyLR', end=max_iters, by_epoch=False)]
"""


@pytest.mark.parametrize('key,value,holders', [
    ('max_iters', 100, 'train_cfg.max_iters, param_scheduler.0.end'),
    ('dataset_type', 'CustomDataset', 'val_dataloader.dataset.type'),
])
def test_dead_helper_variable_is_refused(key, value, holders, tmp_path):
    config = DDFP_VOC
    if key == 'max_iters':  # a config that substitutes it while read
        config = str(tmp_path / 'dead_budget.py')
        with open(config, 'w') as f:
            f.write(DEAD_BUDGET)
    with pytest.raises(ConfigError) as info:
        load_run_config(config, {key: value}, check_files=False)
    message = str(info.value)
    assert f"the top-level '{key}' is a helper variable" in message
    assert holders in message and 'print_config.py' in message


def test_budget_relative_configs_take_max_iters():
    cfg = load({'max_iters': 800})
    assert cfg.train_cfg.max_iters == 800
    assert cfg.param_scheduler[0].end == 800
    assert cfg.model.semi_train_cfg.sup_only_iters == 10  # 1 of 80 epochs


def test_live_keys_pass():
    cfg = load({'labeled_split': '92', 'data_root': '/d/VOC2012',
                'pretrained_backbone': 'r101.pth', 'load_from': 'x.pth',
                'randomness.seed': 5, 'train_cfg.max_iters': 100})
    assert cfg.train_cfg.max_iters == 100 and cfg.randomness.seed == 5
    assert cfg.model.segmentor.backbone.init_cfg.checkpoint == 'r101.pth'
    assert cfg.val_dataloader.dataset.data_root == '/d/VOC2012'
