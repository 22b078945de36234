"""Full mmengine checkpoints load on torch >= 2.6 once mmsuperpix is
imported (the runner-level resume test is in test_tools)."""
import pickle

import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader, load_checkpoint

import mmsuperpix  # noqa: F401


@pytest.fixture
def full_checkpoint(tmp_path):
    """A checkpoint holding mmengine objects, like a runner's."""
    path = str(tmp_path / 'iter_1.pth')
    model = torch.nn.Linear(2, 3)
    torch.save(dict(meta=dict(iter=1), state_dict=model.state_dict(),
                    message_hub=dict(log_scalars={'loss': HistoryBuffer()})),
               path)
    return path, model


def test_plain_torch_load_rejects_it(full_checkpoint):
    """Documents why the fix exists (torch >= 2.6 default weights_only)."""
    if tuple(int(x) for x in torch.__version__.split('.')[:2]) < (2, 6):
        pytest.skip('torch < 2.6 loads full pickles by default')
    with pytest.raises(pickle.UnpicklingError):
        torch.load(full_checkpoint[0])


def test_mmengine_loaders_read_it(full_checkpoint):
    path, model = full_checkpoint
    ckpt = CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert isinstance(ckpt['message_hub']['log_scalars']['loss'],
                      HistoryBuffer)
    fresh = torch.nn.Linear(2, 3)
    load_checkpoint(fresh, path, map_location='cpu')
    assert torch.equal(fresh.weight, model.weight)


def test_missing_checkpoint_message(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'):
        CheckpointLoader.load_checkpoint(str(tmp_path / 'nope.pth'))
