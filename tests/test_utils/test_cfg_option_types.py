"""--cfg-options values must have a type that can replace the config's."""
import pytest
from mmengine.config import Config

import mmsuperpix  # noqa: F401
from conftest import DEMO_CONFIG
from mmsuperpix.utils import ConfigError, check_cfg_options


@pytest.fixture(scope='module')
def demo_cfg():
    return Config.fromfile(DEMO_CONFIG)


@pytest.mark.parametrize('key,value,expected,example', [
    ('train_cfg.max_iters', 'abc', 'an integer', '1500'),
    ('train_cfg.max_iters', 1.5, 'an integer', '1500'),
    ('train_dataloader.batch_size', True, 'an integer', '8'),
    ('optim_wrapper.optimizer.lr', 'fast', 'a number', '0.05'),
    ('param_scheduler.1.end', '1k', 'an integer', '1500'),
    ('train_dataloader.persistent_workers', 1, 'True or False', 'False'),
])
def test_a_value_of_the_wrong_type_is_refused(demo_cfg, key, value,
                                              expected, example):
    with pytest.raises(ConfigError) as info:
        check_cfg_options(demo_cfg, {key: value})
    message = str(info.value)
    assert f'{key} takes {expected}' in message
    assert repr(value) in message
    assert message.endswith(f'e.g. --cfg-options {key}={example}')


def test_values_that_fit_pass(demo_cfg):
    options = {
        'train_cfg.max_iters': 1e3,  # integral float: becomes an int
        'optim_wrapper.optimizer.lr': 1,  # an int is a number
        'train_dataloader.persistent_workers': False,
        'data_root': 7,  # strings accept anything
        'load_from': 'x.pth',  # so does None
        'model.pretrained': 'y.pth',
    }
    check_cfg_options(demo_cfg, options)
    assert options['train_cfg.max_iters'] == 1000
    assert type(options['train_cfg.max_iters']) is int
