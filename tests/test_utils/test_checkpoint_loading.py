"""Checkpoints load without running code from them: runner checkpoints
through the allow-list, anything else refused (unless the user opts in),
damaged files named. Real checkpoints of every kind the project writes are
loaded in test_tools (supervised, DDFP, superpixel models, resume)."""
import os
import os.path as osp
import pickle
import warnings

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader, load_checkpoint

from mmsuperpix.apis import DEFAULT_CHECKPOINT
from mmsuperpix.utils import (CheckpointError, load_local_checkpoint,
                              set_unsafe_checkpoint_loading)


class Payload:
    """Unpickling this creates ``marker``: a stand-in for malicious code."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.makedirs, (self.marker, ))


@pytest.fixture
def runner_checkpoint(tmp_path):
    """What a runner pickles: HistoryBuffers (float64 / int64 histories,
    statistics methods), numpy float32 / float64 scalars."""
    path = str(tmp_path / 'iter_1.pth')
    model = torch.nn.Linear(2, 3)
    buffer = HistoryBuffer()
    buffer.update(0.5)
    torch.save(
        dict(meta=dict(iter=1, seed=np.int64(3)), state_dict=model.state_dict(),
             message_hub=dict(
                 log_scalars={'loss': buffer},
                 runtime_info={'eta': np.float64(2.0),
                               'mIoU': np.float32(0.25)})), path)
    return path, model


def test_runner_checkpoint_loads_with_the_safe_loader(runner_checkpoint):
    path, model = runner_checkpoint
    ckpt = CheckpointLoader.load_checkpoint(path, map_location='cpu')
    buffer = ckpt['message_hub']['log_scalars']['loss']
    assert isinstance(buffer, HistoryBuffer) and buffer.mean() == 0.5
    assert ckpt['message_hub']['runtime_info']['mIoU'] == np.float32(0.25)
    fresh = torch.nn.Linear(2, 3)
    load_checkpoint(fresh, path, map_location='cpu')
    assert torch.equal(fresh.weight, model.weight)


def test_shipped_weights_load_with_the_safe_loader():
    state = load_local_checkpoint(DEFAULT_CHECKPOINT)['state_dict']
    assert state and all(isinstance(v, torch.Tensor) for v in state.values())


@pytest.mark.parametrize('legacy', [False, True])
def test_malicious_checkpoint_is_refused_and_runs_nothing(tmp_path, legacy):
    marker = str(tmp_path / 'created_by_the_file')
    path = str(tmp_path / 'evil.pth')
    if legacy:  # a raw pickle, as torch < 1.6 wrote
        with open(path, 'wb') as f:
            pickle.dump({'state_dict': {}, 'x': Payload(marker)}, f)
    else:
        torch.save({'state_dict': {}, 'x': Payload(marker)}, path)
    with pytest.raises(CheckpointError) as info, \
            warnings.catch_warnings():
        warnings.simplefilter('error')  # the refusal is the only message
        CheckpointLoader.load_checkpoint(path)  # what mmengine calls
    assert not osp.exists(marker)
    message = str(info.value)
    assert path in message and '--allow-unsafe-checkpoint' in message
    assert 'makedirs' in message  # names the blocked global


def test_getattr_only_serves_history_buffer_statistics(tmp_path):

    class Sneaky:

        def __reduce__(self):
            return (getattr, (HistoryBuffer, '__init__'))

    path = str(tmp_path / 'sneaky.pth')
    torch.save({'x': Sneaky()}, path)
    with pytest.raises(CheckpointError, match='was refused'):
        load_local_checkpoint(path)


def test_explicit_opt_in_unpickles_everything(tmp_path):
    marker = str(tmp_path / 'created_by_the_file')
    path = str(tmp_path / 'trusted.pth')
    torch.save({'x': Payload(marker)}, path)
    load_local_checkpoint(path, allow_unsafe=True)
    assert osp.isdir(marker)
    os.rmdir(marker)
    set_unsafe_checkpoint_loading(True)
    try:
        CheckpointLoader.load_checkpoint(path)
    finally:
        set_unsafe_checkpoint_loading(False)
    assert osp.isdir(marker)


@pytest.mark.parametrize('size', [0, 100, 'half'])
def test_damaged_checkpoint_is_named(runner_checkpoint, tmp_path, size):
    path, _ = runner_checkpoint
    with open(path, 'rb') as f:
        data = f.read()
    damaged = str(tmp_path / 'damaged.pth')
    with open(damaged, 'wb') as f:
        f.write(data[:len(data) // 2 if size == 'half' else size])
    with pytest.raises(CheckpointError, match='is damaged') as info:
        CheckpointLoader.load_checkpoint(damaged)
    assert damaged in str(info.value)


def test_missing_checkpoint_message(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'):
        CheckpointLoader.load_checkpoint(str(tmp_path / 'nope.pth'))
