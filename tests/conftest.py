"""Shared fixtures: a tiny generated demo dataset and tiny run configs."""
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
import torch

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED_DATA = osp.join(osp.dirname(REPO), 'shared', 'data')
DEMO_CONFIG = osp.join(
    REPO, 'configs', 'demo',
    'deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py')
HELPERS = osp.join(REPO, 'tests', 'helpers')


@pytest.fixture(scope='session')
def demo_root(tmp_path_factory):
    """A small demo dataset: 8 train + 4 val images, a 2-image labeled split."""
    from mmsuperpix.datasets.synthetic import make_demo_voc
    root = str(tmp_path_factory.mktemp('demo_voc'))
    make_demo_voc(root, num_train=8, num_val=4, labeled_counts=(2, ),
                  size_range=(64, 96), seed=0, progress=False)
    return root


def shared_path(*parts):
    """Path under ../shared/data, or skip the test when it is absent."""
    path = osp.join(SHARED_DATA, *parts)
    if not osp.exists(path):
        pytest.skip(f'{path} is absent (real data lives in ../shared/data '
                    'beside the repository)')
    return path


def write_tiny_config(directory, data_root, iters=4, extra='',
                      base=DEMO_CONFIG):
    """A config inheriting ``base`` (default: the demo config), shrunk to a
    few CPU seconds."""
    path = osp.join(str(directory), 'tiny_config.py')
    loader = 'batch_size={bs}, num_workers=0, persistent_workers=False'
    text = f'''
_base_ = [{base!r}]
data_root = {osp.join(data_root, 'VOC2012')!r}
train_dataloader = dict({loader.format(bs=2)}, dataset=dict(data_root=data_root))
val_dataloader = dict({loader.format(bs=1)}, dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
train_cfg = dict(max_iters={iters}, val_interval={iters})
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval={max(iters // 2, 1)}))
{extra}
'''
    with open(path, 'w') as f:
        f.write(text)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run(cmd, cwd=REPO, env=None, timeout=600):
    """Run a command with the test helpers importable; return the process."""
    full_env = dict(os.environ, PYTHONPATH=HELPERS, OMP_NUM_THREADS='1')
    full_env.update(env or {})
    return subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def run_tool(args, **kwargs):
    """Run a Python script of the repository with this interpreter."""
    return run([sys.executable, *args], **kwargs)


def assert_same(a, b, where):
    """Nested dicts / lists of tensors and numbers are equal, exactly."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            assert_same(a[key], b[key], f'{where}.{key}')
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f'{where}.{i}')
    elif isinstance(a, torch.Tensor):
        assert torch.equal(a, b), where
    else:
        assert a == b, where
