"""What a user sees for common mistakes: one clear line, no training."""
import os.path as osp

import pytest

from conftest import DEMO_CONFIG, run_tool, write_tiny_config


@pytest.mark.parametrize('options,expected', [
    (['train_dataloader.batchsize=2'],
     "train_dataloader has no key 'batchsize'. Did you mean 'batch_size'?"),
    (['model.decode_head.type=DepthwiseSeperableASPPHead'],
     "Did you mean 'DepthwiseSeparableASPPHead'"),
    (['model.backbone.type=NoSuchBackbone'], 'custom_imports'),
])
def test_config_mistakes_stop_before_training(options, expected, tmp_path):
    proc = run_tool(['tools/train.py', DEMO_CONFIG, '--work-dir',
                     str(tmp_path), '--cfg-options', *options])
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1].startswith('error: ')
    assert expected in proc.stderr
    assert not osp.exists(osp.join(tmp_path, 'last_checkpoint'))


def test_missing_config_file(tmp_path):
    proc = run_tool(['tools/train.py', 'configs/nope.py'])
    assert proc.returncode != 0 and "'configs/nope.py' does not exist" in (
        proc.stderr)


def test_missing_data_root(tmp_path):
    config = write_tiny_config(tmp_path, str(tmp_path / 'no_such_data'))
    proc = run_tool(['tools/train.py', config, '--work-dir',
                     str(tmp_path / 'wd')])
    assert proc.returncode != 0
    assert 'no_such_data/VOC2012' in proc.stderr
    assert 'does not exist' in proc.stderr and 'data_root' in proc.stderr


def test_test_tool_missing_checkpoint(tmp_path):
    proc = run_tool(['tools/test.py', DEMO_CONFIG, str(tmp_path / 'x.pth')])
    assert proc.returncode != 0 and 'does not exist' in proc.stderr


def test_missing_pretrained_backbone_is_explained(tmp_path):
    proc = run_tool(['tools/train.py', osp.join('configs', 'ddfp_voc.py'),
                     '--work-dir', str(tmp_path)])
    assert proc.returncode != 0
    message = proc.stderr.strip().splitlines()[-1]
    assert message.startswith('error: model.segmentor.backbone.init_cfg')
    assert 'resnet101_v1c' in message and 'pretrained_backbone=' in message


def test_unknown_component_argument(tmp_path):
    proc = run_tool(['tools/train.py', DEMO_CONFIG, '--work-dir',
                     str(tmp_path), '--cfg-options',
                     'model.decode_head.dropout=0.1'])
    assert proc.returncode != 0
    assert "DepthwiseSeparableASPPHead, which takes no argument 'dropout'" \
        in proc.stderr and "Did you mean 'dropout_ratio'" in proc.stderr
