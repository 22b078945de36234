"""Compatibility fixes for the mmengine 0.10.7 + torch >= 2.6 stack.

torch 2.6 made ``torch.load(weights_only=True)`` the default. mmengine
0.10.7 loads local checkpoints with a bare ``torch.load``, and a full runner
checkpoint pickles mmengine objects (``HistoryBuffer`` in the message hub,
numpy scalars in the meta), so ``load_from``, ``--resume`` and
``mmseg.apis.init_model`` fail with ``UnpicklingError: Unsupported global``.
The fix upstream (mmengine commit 151a87ab) is unreleased.

Importing this module (``import mmsuperpix`` does) replaces mmengine's loader
for local paths with one that passes ``weights_only=False``. Only load
checkpoints you trust: unpickling can run code.
"""
import os.path as osp
from typing import Callable, Optional, Union

import torch
from mmengine.runner import CheckpointLoader

MapLocation = Optional[Union[str, torch.device, Callable]]


def load_local_checkpoint(filename: str, map_location: MapLocation = None):
    """Load a trusted local checkpoint written by mmengine or torch.

    Args:
        filename (str): Path of the checkpoint file.
        map_location: Same as :func:`torch.load`.

    Returns:
        dict | OrderedDict: The loaded checkpoint.

    Raises:
        FileNotFoundError: If ``filename`` is not a file, with a hint.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(
            f'checkpoint file {filename!r} does not exist. Check the path '
            '(it is relative to the current directory) or, to resume, make '
            'sure the work_dir holds a `last_checkpoint` from an earlier run.')
    return torch.load(
        filename, map_location=map_location, weights_only=False)


CheckpointLoader.register_scheme(
    prefixes='', loader=load_local_checkpoint, force=True)
