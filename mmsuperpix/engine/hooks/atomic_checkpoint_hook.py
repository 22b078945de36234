"""mmengine's CheckpointHook, with saves that a kill cannot leave half done.

``_save_checkpoint_with_step`` is adapted from mmengine 0.10.7
``mmengine/hooks/checkpoint_hook.py`` (Apache-2.0, Copyright OpenMMLab):
same bookkeeping, but the file is written under a temporary name and
renamed, ``last_checkpoint`` is replaced the same way, and outdated
checkpoints are deleted only after the new one is complete.
"""
import glob
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend
from mmengine.hooks import CheckpointHook
from mmengine.runner import Runner

from mmsuperpix.registry import HOOKS

#: Suffix of a checkpoint being written.
PARTIAL_SUFFIX = '.part'


def replace_atomically(path: str, write) -> None:
    """Write ``path`` through ``write(temp_path)``, flush it to disk and
    rename it over ``path`` (a reader sees the old file or the new one)."""
    temp = path + PARTIAL_SUFFIX
    write(temp)
    with open(temp, 'rb+') as f:
        os.fsync(f.fileno())
    os.replace(temp, path)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """``CheckpointHook`` (same arguments) whose local saves are atomic.

    mmengine writes ``iter_N.pth`` in place and deletes the oldest kept
    checkpoint before writing the next one, so a kill during a save leaves a
    truncated file and, with ``max_keep_ckpts=1``, nothing intact. Here a
    checkpoint is written to ``iter_N.pth.part``, synced and renamed;
    ``last_checkpoint`` is replaced the same way after it; outdated
    checkpoints are deleted last. Leftover ``.part`` files of a killed run
    are removed when training starts. Remote ``out_dir`` (``s3://``...) and
    ``save_best`` checkpoints are saved as mmengine does.
    """

    def before_train(self, runner: Runner) -> None:
        """Set up as mmengine does; remove partial files of a killed save."""
        super().before_train(runner)
        if isinstance(self.file_backend, LocalBackend) and is_main_process():
            for path in glob.glob(osp.join(self.out_dir, '*' + PARTIAL_SUFFIX)):
                os.remove(path)

    def _save_checkpoint_with_step(self, runner: Runner, step: int,
                                   meta: dict) -> None:
        if not isinstance(self.file_backend, LocalBackend):
            return super()._save_checkpoint_with_step(runner, step, meta)
        outdated = None
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and
                                            self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        filename = self.filename_tmpl.format(step)
        self.last_ckpt = osp.join(self.out_dir, filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)

        def save(temp: str) -> None:
            runner.save_checkpoint(
                self.out_dir, osp.basename(temp), self.file_client_args,
                save_optimizer=self.save_optimizer,
                save_param_scheduler=self.save_param_scheduler, meta=meta,
                by_epoch=self.by_epoch, backend_args=self.backend_args,
                **self.args)

        if not is_main_process():  # runner.save_checkpoint is master_only
            return
        replace_atomically(self.last_ckpt, save)

        def write_pointer(temp: str) -> None:
            with open(temp, 'w') as f:
                f.write(self.last_ckpt)

        replace_atomically(osp.join(runner.work_dir, 'last_checkpoint'),
                           write_pointer)
        if outdated is not None:
            path = osp.join(self.out_dir, self.filename_tmpl.format(outdated))
            if osp.isfile(path):
                os.remove(path)
