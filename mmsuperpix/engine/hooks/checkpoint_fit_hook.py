"""Refuse a checkpoint of another model instead of running with random
weights."""
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmsuperpix.registry import HOOKS
from mmsuperpix.utils.checkpoint_fit import load_state_dict_checked


@HOOKS.register_module()
class CheckpointFitHook(Hook):
    """Check every checkpoint the runner loads against its model.

    ``load_from``, ``tools/test.py CONFIG CHECKPOINT`` and ``--resume`` all
    pass through mmengine's ``after_load_checkpoint``, before mmengine
    copies the weights with ``strict=False``. This hook loads the state dict
    itself with :func:`load_state_dict_checked`, which raises
    ``CheckpointError`` (naming the file and what fits instead) when less
    than ``min_share`` of the model's weights would be filled.

    Args:
        min_share (float): Fraction of the model's weights the checkpoint
            must fill. Defaults to 0.5.
    """
    priority = 'VERY_HIGH'

    def __init__(self, min_share: float = 0.5) -> None:
        self.min_share = min_share

    def after_load_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Load and judge ``checkpoint['state_dict']`` (or the bare dict)."""
        state = checkpoint.get('state_dict', checkpoint)
        source = runner.cfg.get('load_from') or 'the resumed checkpoint'
        load_state_dict_checked(runner.model, state, source, self.min_share)
