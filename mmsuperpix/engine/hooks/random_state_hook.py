"""Make ``--resume`` continue the random stream of an uninterrupted run."""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmsuperpix.registry import HOOKS


def _torch_state() -> dict:
    state = dict(cpu=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def _set_torch_state(state: dict) -> None:
    torch.set_rng_state(state['cpu'])
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['cuda'])


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Save the model's random state in checkpoints and restore it on resume.

    mmengine's resume restores the iteration, the optimizer and the data
    order (it replays the data loader), but re-seeds nothing: the torch
    generator the model draws from (CutMix boxes, dropout, flow sampling)
    restarts from its state after model initialisation, so the first
    resumed iteration already differs from the uninterrupted run's.

    - ``before_save_checkpoint``: store torch's CPU (and CUDA) generator
      state under ``checkpoint['random_state']``.
    - On resume it is restored just before the first resumed iteration,
      after mmengine's data replay. Only torch's generator is restored: the
      data pipeline draws from numpy / ``random`` (in its workers, or
      replayed in the main process), which the replay reproduces.
    - Validation during training runs on a fork of the generator, so how
      often a run validates does not change its training randomness (and a
      checkpoint saved just before a validation resumes exactly).
    """
    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._pending: Optional[dict] = None
        self._before_val: Optional[dict] = None

    def before_save_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Store the generator state."""
        checkpoint['random_state'] = _torch_state()

    def after_load_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Remember the saved state when resuming (not for ``load_from``)."""
        if runner.cfg.get('resume', False):
            self._pending = checkpoint.get('random_state')

    def before_train_iter(self,
                          runner: Runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        """Restore a resumed state once, before its first iteration."""
        if self._pending is not None:
            _set_torch_state(self._pending)
            self._pending = None

    def before_val_epoch(self, runner: Runner) -> None:
        """Fork the generator for validation."""
        self._before_val = _torch_state()

    def after_val_epoch(self, runner: Runner, metrics=None) -> None:
        """Continue training from the state before validation."""
        if self._before_val is not None:
            _set_torch_state(self._before_val)
            self._before_val = None
