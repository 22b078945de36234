"""Early config checks: --cfg-options typos and unknown component types."""
import copy
import glob
import os.path as osp

import pytest
from mmengine.config import Config

import mmsuperpix  # noqa: F401
from conftest import DEMO_CONFIG, REPO
from mmsuperpix.utils import (ConfigError, check_cfg_options,
                              check_component_types)

MMSEG_CONFIGS = osp.join(osp.dirname(__import__('mmseg').__file__), '.mim',
                         'configs')


@pytest.fixture(scope='module')
def demo_cfg():
    return Config.fromfile(DEMO_CONFIG)


@pytest.mark.parametrize('key,suggestion', [
    ('train_dataloader.batchsize', 'batch_size'),
    ('trian_cfg.max_iters', 'train_cfg'),
    ('model.decode_head.num_clases', 'num_classes'),
])
def test_typo_in_cfg_options_names_the_fix(demo_cfg, key, suggestion):
    with pytest.raises(ConfigError, match=f"Did you mean '{suggestion}'"):
        check_cfg_options(demo_cfg, {key: 2})


def test_existing_and_new_keys_pass(demo_cfg):
    check_cfg_options(demo_cfg, {
        'train_dataloader.batch_size': 2,
        'train_dataloader.dataset.pipeline.2.ratio_range': (1.0, 1.0),
        'model.backbone.init_cfg.type': 'Pretrained',  # None -> subtree
        'experiment_name': 'new top-level key',
    })


def test_new_keys_inside_components_are_checked_against_arguments(demo_cfg):
    # AmpOptimWrapper takes `dtype` (although it is one letter from `type`)
    check_cfg_options(demo_cfg, {'optim_wrapper.type': 'AmpOptimWrapper',
                                 'optim_wrapper.dtype': 'bfloat16'})
    with pytest.raises(ConfigError, match='OptimWrapper, which takes no '
                       "argument 'dtype'"):
        check_cfg_options(demo_cfg, {'optim_wrapper.dtype': 'bfloat16'})
    with pytest.raises(ConfigError, match="Did you mean 'max_keep_ckpts'"):
        check_cfg_options(demo_cfg,
                          {'default_hooks.checkpoint.max_keep_ckpt': 1})


def test_list_index_out_of_range(demo_cfg):
    with pytest.raises(ConfigError, match='list of 8 items'):
        check_cfg_options(demo_cfg,
                          {'train_dataloader.dataset.pipeline.9.p': 1})


def test_unknown_type_suggests_registered_names(demo_cfg):
    cfg = copy.deepcopy(demo_cfg)
    cfg.model.decode_head.type = 'DepthwiseSeperableASPPHead'
    with pytest.raises(ConfigError) as info:
        check_component_types(cfg)
    message = str(info.value)
    assert message.startswith('model.decode_head: type '
                              "'DepthwiseSeperableASPPHead'")
    assert "'DepthwiseSeparableASPPHead'" in message
    assert 'custom_imports' in message


def test_dotted_types_are_left_to_the_registry(demo_cfg):
    cfg = copy.deepcopy(demo_cfg)
    cfg.model.backbone.type = 'mmpretrain.ConvNeXt'
    check_component_types(cfg)


@pytest.mark.parametrize(
    'path',
    sorted(glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                     recursive=True)))
def test_every_shipped_config_passes(path):
    check_component_types(Config.fromfile(path))


@pytest.mark.parametrize('name', [
    'deeplabv3plus/deeplabv3plus_r50-d8_4xb4-20k_voc12aug-512x512.py',
    'segformer/segformer_mit-b0_8xb2-160k_ade20k-512x512.py',
    'pspnet/pspnet_r50-d8_4xb2-40k_cityscapes-512x1024.py',
    'upernet/upernet_r50_4xb2-40k_cityscapes-512x1024.py',
])
def test_no_false_alarms_on_mmseg_configs(name):
    path = osp.join(MMSEG_CONFIGS, name)
    if not osp.isfile(path):
        pytest.skip(f'{name} not shipped with this mmseg')
    check_component_types(Config.fromfile(path))
