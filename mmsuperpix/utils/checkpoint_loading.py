"""Loading local checkpoints without running code from them.

mmengine 0.10.7 loads local checkpoints with a bare ``torch.load``. Since
torch 2.6 that means ``weights_only=True``, which refuses the objects a full
runner checkpoint pickles (mmengine's ``HistoryBuffer`` in the message hub,
numpy arrays, dtypes and scalars), so ``--resume`` and ``load_from`` fail;
``weights_only=False`` would let any downloaded ``.pth`` run code.

Importing this module (``import mmsuperpix`` does) registers
:func:`load_local_checkpoint` as mmengine's loader for local paths. It keeps
``weights_only=True`` and admits exactly :data:`CHECKPOINT_GLOBALS`: the
globals found by saving every kind of checkpoint this project writes
(supervised, DDFP with flow and hook state, superpixel models, exported
weights) and loading them back. A file that needs anything else is refused
with :class:`CheckpointError` naming the global, unless the user opted in
(:data:`UNSAFE_OPT_IN`: an argument of the tools, a config key, an argument
of the API; never an environment variable). Damaged (truncated, empty)
files are reported by name.
"""
import argparse
import os.path as osp
import pickle
import pickletools
import re
import warnings
import zipfile
from typing import Any, Callable, List, Optional, Union

import numpy as np
import torch
try:  # numpy >= 2
    from numpy._core import multiarray
except ImportError:  # numpy 1.x
    from numpy.core import multiarray
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader

MapLocation = Optional[Union[str, torch.device, Callable]]

#: How users opt in to full unpickling, quoted by every refusal.
UNSAFE_OPT_IN = ('--allow-unsafe-checkpoint (tools/train.py, test.py, '
                 'superpixelize.py, eval_superpixels.py, export_checkpoint.py)'
                 ', allow_unsafe_checkpoint=True in a config run by the tools, '
                 'or init_superpixel_model(..., allow_unsafe_checkpoint=True)')


class CheckpointError(ValueError):
    """A checkpoint file that is damaged, unsafe to unpickle, or does not
    fit the model it is loaded into."""


def _history_buffer_method(owner: Any, name: str) -> Callable:
    """The ``getattr`` of a pickled ``HistoryBuffer``, and nothing else.

    A buffer's ``statistics_methods`` holds the class's functions, pickled as
    ``getattr(HistoryBuffer, 'mean')``; this stand-in serves those names and
    refuses any other attribute of any other object.
    """
    allowed = {'min', 'max', 'mean', 'current'} | set(
        HistoryBuffer._statistics_methods)
    if owner is not HistoryBuffer or name not in allowed:
        raise pickle.UnpicklingError(
            f'getattr({getattr(owner, "__name__", type(owner).__name__)}, '
            f'{name!r}) is not a HistoryBuffer statistics method')
    return getattr(owner, name)


def _numpy_globals() -> list:
    """numpy's array and scalar reconstructors (under their numpy 1 and 2
    names) and the dtypes runner checkpoints hold: float64 / int64 in
    ``HistoryBuffer`` histories, float32 scalars of validation metrics."""
    items: list = [np.ndarray, np.dtype]
    for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        items += [(multiarray._reconstruct, f'{module}._reconstruct'),
                  (multiarray.scalar, f'{module}.scalar')]
    return items + [
        type(np.dtype(name)) for name in ('float32', 'float64', 'int64')
    ]


#: Everything a checkpoint may contain besides torch's own allow-list.
CHECKPOINT_GLOBALS = [
    HistoryBuffer, (_history_buffer_method, '__builtin__.getattr'),
    (_history_buffer_method, 'builtins.getattr'), *_numpy_globals()
]

_unsafe_allowed = False


def add_unsafe_checkpoint_argument(parser: argparse.ArgumentParser,
                                   what: str = 'checkpoints',
                                   note: str = '') -> None:
    """Add the tools' ``--allow-unsafe-checkpoint`` flag (the opt-in that
    every refusal names) to ``parser``; ``what`` names what it loads,
    ``note`` is appended to the help."""
    parser.add_argument(
        '--allow-unsafe-checkpoint',
        action='store_true',
        help=f'unpickle {what} fully, which runs any code the file holds: '
        'only for files you trust that the safe loader refuses (it accepts '
        f'every checkpoint mmengine and mmsuperpix write){note}')


def set_unsafe_checkpoint_loading(enabled: bool) -> None:
    """Allow (or stop allowing) full unpickling of local checkpoints in this
    process, for files the user trusts and the allow-list refuses."""
    global _unsafe_allowed
    _unsafe_allowed = bool(enabled)


def _damaged(filename: str, reason: str) -> CheckpointError:
    return CheckpointError(
        f'checkpoint {filename!r} is damaged ({reason}); it was probably '
        'cut short by an interrupted save or copy. Use an intact copy, e.g. '
        'an earlier iter_*.pth of the same work_dir.')


def load_local_checkpoint(filename: str,
                          map_location: MapLocation = None,
                          allow_unsafe: Optional[bool] = None) -> Any:
    """Load a local checkpoint written by mmengine, torch or this project.

    Args:
        filename (str): Path of the checkpoint file.
        map_location: Same as :func:`torch.load`.
        allow_unsafe (bool, optional): Unpickle anything (runs code from the
            file: only for files you trust). None: the process-wide setting
            of :func:`set_unsafe_checkpoint_loading` (off by default).

    Returns:
        dict | OrderedDict: The loaded checkpoint.

    Raises:
        FileNotFoundError: If ``filename`` is not a file, with a hint.
        CheckpointError: If the file is damaged, or needs a global outside
            :data:`CHECKPOINT_GLOBALS` (naming it and the opt-in).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(
            f'checkpoint file {filename!r} does not exist. Check the path '
            '(it is relative to the current directory).')
    if osp.getsize(filename) == 0:
        raise _damaged(filename, 'the file is empty')
    unsafe = _unsafe_allowed if allow_unsafe is None else allow_unsafe
    try:
        if unsafe:
            return torch.load(filename, map_location=map_location,
                              weights_only=False)
        with torch.serialization.safe_globals(CHECKPOINT_GLOBALS), \
                warnings.catch_warnings():
            # A raw pickle of another protocol is refused below with the
            # globals it needs; torch's protocol warning would only precede it.
            warnings.filterwarnings('ignore', 'Detected pickle protocol')
            return torch.load(filename, map_location=map_location,
                              weights_only=True)
    except pickle.UnpicklingError as e:
        if 'Weights only load failed' not in str(e):
            raise _damaged(filename, str(e).splitlines()[0]) from None
        raise _refused(filename, str(e), _pickled_globals(filename)) \
            from None
    except (EOFError, zipfile.BadZipFile) as e:
        raise _damaged(filename, str(e) or type(e).__name__) from None
    except RuntimeError as e:
        if 'PytorchStreamReader' not in str(e):
            raise
        raise _damaged(filename, str(e).split('. ')[0]) from None


def _pickled_globals(filename: str) -> List[str]:
    """``module.name`` of the globals a raw-pickle checkpoint (torch < 1.6's
    format, which the safe unpickler rejects at its first opcode) imports
    outside torch, collections and :data:`CHECKPOINT_GLOBALS`, read with
    :mod:`pickletools` (which disassembles and executes nothing)."""
    allowed = {
        item[1] if isinstance(item, tuple) else
        f'{item.__module__}.{item.__qualname__}' for item in CHECKPOINT_GLOBALS
    }
    found: List[str] = []
    with open(filename, 'rb') as f:
        if f.read(2) == b'PK':  # zip: torch's message names the global
            return found
        f.seek(0)
        for _ in range(4):  # torch's legacy files are several pickles
            try:
                found += _globals_in_one_pickle(f)
            except Exception:  # raw tensor bytes or garbage: stop
                break
    return [name for name in dict.fromkeys(found)
            if not name.startswith(('torch.', 'collections.'))
            and name not in allowed]


def _globals_in_one_pickle(f) -> List[str]:
    """The GLOBAL / STACK_GLOBAL imports of the next pickle in ``f``."""
    names, memo, recent = [], {}, []
    for opcode, arg, _ in pickletools.genops(f):
        if opcode.name == 'GLOBAL':
            names.append(arg.replace(' ', '.'))
        elif opcode.name == 'STACK_GLOBAL' and len(recent) >= 2:
            names.append(f'{recent[-2]}.{recent[-1]}')
        elif opcode.name == 'MEMOIZE':
            memo[len(memo)] = recent[-1] if recent else None
        elif opcode.name in ('BINPUT', 'LONG_BINPUT', 'PUT'):
            memo[arg] = recent[-1] if recent else None
        elif opcode.name in ('BINGET', 'LONG_BINGET', 'GET'):
            recent.append(memo.get(arg))
        elif isinstance(arg, str):
            recent.append(arg)
    return names


def _refused(filename: str, message: str,
             pickled: List[str]) -> CheckpointError:
    """The error for a file the safe unpickler refused, naming what it
    refused (from torch's ``message``, else the file's ``pickled`` globals)
    and the opt-in."""
    found = re.search(r'GLOBAL (\S+)', message) or re.search(
        r"(<class '[^']+'>)", message) or re.search(
            r'unrecognized function (\S+)', message)
    reason = re.search(r'WeightsUnpickler error:\s*(.+)', message)
    if found:
        what = f'the global {found.group(1)}'
    elif pickled:
        what = (f'the global{"s" * (len(pickled) > 1)} '
                f'{", ".join(pickled)} (the file is a raw pickle, not a '
                'torch >= 1.6 zip checkpoint)')
    else:
        what = 'a construct the safe loader refuses' + (
            f' ({reason.group(1).strip()})' if reason else '')
    return CheckpointError(
        f'checkpoint {filename!r} was refused: it needs {what}, which is '
        'not on the allow-list of checkpoint contents (tensors, mmengine\'s '
        'HistoryBuffer, numpy arrays and scalars), and unpickling it could '
        f'run code from the file. If you trust the file, opt in with '
        f'{UNSAFE_OPT_IN}.')


CheckpointLoader.register_scheme(
    prefixes='', loader=load_local_checkpoint, force=True)
