"""Main + auxiliary BatchNorm (AdvProp style), as DDFP's classifier uses."""
from contextlib import contextmanager
from copy import deepcopy
from typing import Iterator, Optional

import torch
import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm


class DualBatchNorm(nn.Module):
    """Route a BatchNorm layer's input through its main or auxiliary copy.

    Perturbed features have other statistics than clean ones; DDFP
    normalises them with a separate (auxiliary) BN. ``main`` is the original
    layer (BN or SyncBN, unchanged class), ``aux`` a deep copy; the
    :func:`auxiliary_bn` context sends all samples, or the samples from a
    given index on, through ``aux`` (DDFP's ``adv``, ``warm_up`` and ``mix``
    modes), each copy computing its statistics on its own part. A plain BN state dict
    (``<name>.weight``...) loads into ``main``, and :func:`strip_auxiliary_bn`
    turns a state dict back into the plain layout, so checkpoints stay
    compatible with the unmodified model.

    Args:
        main (nn.Module): The BatchNorm layer to wrap.
    """

    def __init__(self, main: nn.Module) -> None:
        super().__init__()
        self.main = main
        self.aux = deepcopy(main)
        self.aux_from: Optional[int] = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Normalise samples ``[:aux_from]`` with ``main`` and the rest with
        ``aux`` (all with ``main`` when ``aux_from`` is None)."""
        start = self.aux_from
        if start is None or start >= x.shape[0]:
            return self.main(x)
        if start <= 0:
            return self.aux(x)
        return torch.cat([self.main(x[:start]), self.aux(x[start:])])

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        plain = [k for k in list(state_dict)
                 if k.startswith(prefix) and '.' not in k[len(prefix):]]
        for key in plain:  # a plain BN checkpoint: fill both copies
            name = key[len(prefix):]
            value = state_dict.pop(key)
            state_dict.setdefault(f'{prefix}main.{name}', value)
            state_dict.setdefault(f'{prefix}aux.{name}', value.clone())
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)


def convert_to_dual_bn(module: nn.Module) -> int:
    """Wrap every BatchNorm layer inside ``module`` in a
    :class:`DualBatchNorm`, in place.

    Returns:
        int: The number of layers wrapped.
    """
    count = 0
    for name, child in module.named_children():
        if isinstance(child, _BatchNorm):
            setattr(module, name, DualBatchNorm(child))
            count += 1
        elif not isinstance(child, DualBatchNorm):
            count += convert_to_dual_bn(child)
    return count


@contextmanager
def auxiliary_bn(module: nn.Module, enabled: bool = True,
                 start: int = 0) -> Iterator[None]:
    """Inside the ``with`` block, the dual BNs of ``module`` normalise the
    batch samples from index ``start`` on with their auxiliary copy (all
    samples for ``start=0``); nothing changes when not ``enabled``. The
    previous routing is restored on exit, so the contexts nest."""
    layers = [m for m in module.modules() if isinstance(m, DualBatchNorm)]
    before = [layer.aux_from for layer in layers]
    if enabled:
        for layer in layers:
            layer.aux_from = start
    try:
        yield
    finally:
        for layer, previous in zip(layers, before):
            layer.aux_from = previous


def strip_auxiliary_bn(state_dict: dict) -> dict:
    """Plain-model state dict: drop ``*.aux.*`` of dual BNs, rename
    ``*.main.*`` to ``*.*``.

    Only keys of dual BN layers are touched: a ``.main.`` or ``.aux.``
    segment followed by a BN tensor name.
    """
    bn_names = ('weight', 'bias', 'running_mean', 'running_var',
                'num_batches_tracked')
    out = {}
    for key, value in state_dict.items():
        head, _, name = key.rpartition('.')
        stem, _, role = head.rpartition('.')
        if name in bn_names and role in ('main', 'aux') and stem:
            if role == 'main':
                out[f'{stem}.{name}'] = value
            continue
        out[key] = value
    return out
