"""Load a state dict into a model, refusing one meant for another model.

mmengine loads checkpoints with ``strict=False``: a checkpoint of another
model (superpixel weights into a segmentor, a full semi-supervised
checkpoint into a plain segmentor) logs every key as missing or unexpected
and leaves the model at its random initialisation, which then evaluates to
a plausible-looking but meaningless score. :func:`load_state_dict_checked`
loads like mmengine (the modules' own ``_load_from_state_dict``, so their
key remapping applies; mismatched shapes are skipped, not fatal) and raises
:class:`CheckpointError` when less than ``min_share`` of the model's
entries were filled, saying what the file holds and what fits instead.
"""
import re
from collections import OrderedDict
from typing import List, Mapping, NamedTuple

import torch.nn as nn
from mmengine.model import BaseTTAModel, is_model_wrapper

from .checkpoint_loading import CheckpointError

class LoadResult(NamedTuple):
    """Entries of the model the file did not fill, entries of the file the
    model does not have, and shape mismatches (skipped)."""
    missing: List[str]
    unexpected: List[str]
    mismatched: List[str]


def _load(model: nn.Module, state_dict: Mapping) -> LoadResult:
    """Recursive ``_load_from_state_dict`` as ``nn.Module.load_state_dict``
    does, collecting shape mismatches instead of raising on them."""
    state = OrderedDict(state_dict)
    metadata = getattr(state_dict, '_metadata', None)
    if metadata is not None:
        state._metadata = metadata
    missing: List[str] = []
    unexpected: List[str] = []
    errors: List[str] = []

    def load(module: nn.Module, prefix: str) -> None:
        local = {} if metadata is None else metadata.get(prefix[:-1], {})
        module._load_from_state_dict(state, prefix, local, True, missing,
                                     unexpected, errors)
        for name, child in module._modules.items():
            if child is not None:
                load(child, f'{prefix}{name}.')

    load(model, '')
    mismatched = [m.group(1) for e in errors
                  for m in [re.search(r'size mismatch for (\S+?):', e)] if m]
    if len(mismatched) != len(errors):
        raise RuntimeError('; '.join(e for e in errors
                                     if 'size mismatch' not in e))
    return LoadResult(missing, unexpected, mismatched)


def _hint(unexpected: List[str], expected: List[str]) -> str:
    if any(k.startswith('teacher.') for k in unexpected):
        return ('It is a semi-supervised training checkpoint (student + '
                'teacher): export the teacher as a plain model with `python '
                'tools/model_converters/export_checkpoint.py CHECKPOINT '
                'teacher.pth --submodule teacher` and use teacher.pth, or use '
                'the semi-supervised config it was trained with.')
    return (f'The file holds e.g. {unexpected[:2]} where the model expects '
            f'e.g. {expected[:2]}: use the config the checkpoint was '
            'trained with, or a checkpoint of this config.')


def load_state_dict_checked(model: nn.Module,
                            state_dict: Mapping,
                            source: str,
                            min_share: float = 0.5) -> LoadResult:
    """Load ``state_dict`` into ``model`` unless it does not fit.

    Args:
        model (nn.Module): The model; DDP and test-time-augmentation
            wrappers are looked through, as mmengine does.
        state_dict (Mapping): Weights; a leading ``module.`` (DDP) is
            dropped from every key.
        source (str): The file, named in errors.
        min_share (float): Fraction of the model's state entries the file
            must fill. Defaults to 0.5.

    Returns:
        LoadResult: What did not match (for the caller to log).

    Raises:
        CheckpointError: If fewer than ``min_share`` of the model's entries
            (or none) were filled.
    """
    while is_model_wrapper(model) or isinstance(model, BaseTTAModel):
        model = model.module
    state = OrderedDict(
        (re.sub(r'^module\.', '', k), v) for k, v in state_dict.items())
    # BatchNorm fills an absent counter itself: not evidence of a fit
    expected = [k for k in model.state_dict()
                if not k.endswith('num_batches_tracked')]
    result = _load(model, state)
    unfilled = set(result.missing) | set(result.mismatched)
    filled = sum(k not in unfilled for k in expected)
    if filled > 0 and filled >= min_share * len(expected):
        return result
    raise CheckpointError(
        f'checkpoint {source!r} does not fit {type(model).__name__}: it '
        f'fills {filled} of the model\'s {len(expected)} weights '
        f'({len(result.unexpected)} of its {len(state)} entries are unknown '
        f'to the model, {len(result.mismatched)} have other shapes). '
        + _hint(result.unexpected, expected))
