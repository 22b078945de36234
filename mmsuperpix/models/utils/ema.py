"""Exponential moving averages of one network into another (mean teacher,
DINO's momentum teacher)."""
import torch
import torch.nn as nn


@torch.no_grad()
def ema_update_(target: nn.Module, source: nn.Module, decay: float,
                buffers: bool = False) -> None:
    """``target = decay * target + (1 - decay) * source``, in place.

    Parameters are averaged; floating-point buffers (BN statistics) too when
    ``buffers``. Integer tensors (BN's ``num_batches_tracked``) and
    ``decay == 0`` are copied.

    Args:
        target (nn.Module): The average (a teacher), same structure as
            ``source``.
        source (nn.Module): The network being averaged (a student).
        decay (float): In ``[0, 1]``.
        buffers (bool): Also average the buffers. Defaults to False.
    """
    pairs = list(zip(target.parameters(), source.parameters()))
    if buffers:
        pairs += list(zip(target.buffers(), source.buffers()))
    for average, current in pairs:
        if decay == 0 or not average.is_floating_point():
            average.copy_(current)
        else:
            average.mul_(decay).add_(current.detach(), alpha=1 - decay)
