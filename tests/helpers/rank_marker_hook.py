"""A test-only hook: each process writes the iterations it ran to a file."""
import os.path as osp

from mmengine.hooks import Hook

from mmsuperpix.registry import HOOKS


@HOOKS.register_module()
class RankMarkerHook(Hook):
    """Append ``<iteration>`` to ``<out_dir>/rank<r>_of<world>.txt``."""

    def __init__(self, out_dir: str) -> None:
        self.out_dir = out_dir

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        name = f'rank{runner.rank}_of{runner.world_size}.txt'
        with open(osp.join(self.out_dir, name), 'a') as f:
            f.write(f'{runner.iter + 1}\n')
