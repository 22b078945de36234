"""Which checkpoint ``tools/train.py --resume`` continues from."""
import glob
import os.path as osp
import re
import zipfile
from typing import Optional

from mmengine.logging import print_log

from .checkpoint_loading import CheckpointError

_STEP = re.compile(r'(?:iter|epoch)_(\d+)\.pth$')


def checkpoint_damage(path: str) -> Optional[str]:
    """Why ``path`` cannot be a complete torch checkpoint, or None.

    Reads only the zip directory that ``torch.save`` writes last, so a file
    cut short by a kill or a full disk is caught without loading it.
    """
    if not osp.isfile(path):
        return 'the file does not exist'
    if osp.getsize(path) == 0:
        return 'the file is empty'
    try:
        with zipfile.ZipFile(path) as archive:
            if not any(n.endswith('data.pkl') for n in archive.namelist()):
                return 'no data.pkl inside'
    except (zipfile.BadZipFile, OSError) as e:
        return f'not a complete checkpoint archive: {e}'
    return None


def find_resume_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint to resume from in ``work_dir``.

    mmengine resumes from the file named in ``work_dir/last_checkpoint``
    and fails with a torch traceback when that file is damaged. Here that
    file is checked first; when ``last_checkpoint`` is empty, or names a
    missing or damaged file, the newest intact ``iter_*.pth`` /
    ``epoch_*.pth`` of ``work_dir`` is used instead, with a warning.

    Returns:
        str | None: The checkpoint, or None when ``work_dir`` has neither a
        ``last_checkpoint`` nor any checkpoint (a fresh start, as mmengine).

    Raises:
        CheckpointError: When checkpoints exist but none is intact.
    """
    pointer = osp.join(work_dir, 'last_checkpoint')
    candidates = sorted(
        (int(m.group(1)), path)
        for path in glob.glob(osp.join(work_dir, '*.pth'))
        for m in [_STEP.search(osp.basename(path))] if m)
    problem = f'{work_dir} has no last_checkpoint'
    if osp.isfile(pointer):
        with open(pointer) as f:
            named = f.read().strip()
        damage = checkpoint_damage(named) if named else None
        if named and damage is None:
            return named
        problem = f'{pointer} names {named}, which is damaged ({damage})' \
            if named else f'{pointer} is empty'
    elif not candidates:
        return None
    for _, path in reversed(candidates):
        if checkpoint_damage(path) is None:
            print_log(f'{problem}; resuming from {path}, the newest intact '
                      'checkpoint there.', logger='current', level=30)
            return path
    raise CheckpointError(
        f'cannot resume: {problem}, and no intact iter_*.pth / epoch_*.pth '
        f'is left in {work_dir}. Start a new run (without --resume) or pass '
        '--cfg-options load_from=CHECKPOINT.')
