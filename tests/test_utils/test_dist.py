"""CPU distributed setup helpers (the end-to-end run is in test_tools)."""
import pytest
from mmengine.config import Config

from mmsuperpix.utils import replace_sync_bn, setup_cpu_distributed


def test_replace_sync_bn_walks_nested_configs():
    tree = dict(
        backbone=dict(norm_cfg=dict(type='SyncBN', requires_grad=True)),
        heads=[dict(norm_cfg=dict(type='SyncBN')), dict(norm_cfg=None)],
        other=dict(type='BN'))
    assert replace_sync_bn(tree) == 2
    assert tree['backbone']['norm_cfg'] == dict(type='BN', requires_grad=True)
    assert tree['heads'][0]['norm_cfg']['type'] == 'BN'
    assert replace_sync_bn(tree) == 0


def test_no_launcher_changes_nothing():
    cfg = Config(dict(model=dict(norm_cfg=dict(type='SyncBN'))))
    assert setup_cpu_distributed(cfg, 'none') is False
    assert cfg.model.norm_cfg.type == 'SyncBN'


def test_pytorch_launcher_without_torchrun_env(monkeypatch):
    for key in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr('torch.cuda.is_available', lambda: False)
    with pytest.raises(RuntimeError, match='dist_train.sh'):
        setup_cpu_distributed(Config(dict(model=dict())), 'pytorch')


def test_slurm_launcher_on_cpu_is_refused(monkeypatch):
    monkeypatch.setattr('torch.cuda.is_available', lambda: False)
    with pytest.raises(RuntimeError, match='torchrun'):
        setup_cpu_distributed(Config(dict(model=dict())), 'slurm')
