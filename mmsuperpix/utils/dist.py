"""Distributed training without CUDA (torchrun + gloo on CPUs).

mmengine 0.10.7 assumes GPUs when launched with ``--launcher pytorch``:
``init_dist`` calls ``torch.cuda.set_device`` (an error on CPU-only torch),
the runtime config asks for NCCL, DDP is built with ``device_ids=[rank]`` and
mmseg configs use ``SyncBN``, which torch only runs on accelerators. This
module rewrites those four points when no GPU is present, so the same config
and ``tools/dist_train.sh`` work on a CPU machine.
"""
import os
from typing import Any

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.logging import print_log


def replace_sync_bn(node: Any) -> int:
    """Replace ``type='SyncBN'`` by ``type='BN'`` in a config tree, in place.

    Args:
        node: A config (sub)tree made of dicts and lists.

    Returns:
        int: The number of norm configs changed.
    """
    changed = 0
    if isinstance(node, dict):
        if node.get('type') == 'SyncBN':
            node['type'] = 'BN'
            changed += 1
        for value in node.values():
            changed += replace_sync_bn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            changed += replace_sync_bn(value)
    return changed


def setup_cpu_distributed(cfg: Config, launcher: str) -> bool:
    """Prepare ``cfg`` and the process group for distributed CPU training.

    Does nothing unless ``launcher`` is not ``'none'`` and CUDA is absent.
    Otherwise initialises a gloo process group from torchrun's environment
    (``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``), sets the
    runtime backend to gloo, keeps DDP's ``device_ids`` at None and replaces
    SyncBN by per-process BN.

    Args:
        cfg (Config): The full config, modified in place.
        launcher (str): ``tools/train.py``'s ``--launcher``.

    Returns:
        bool: Whether the CPU setup was applied.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return False
    if launcher != 'pytorch':
        raise RuntimeError(
            f'--launcher {launcher} needs GPUs; on a CPU-only machine launch '
            'with torchrun (tools/dist_train.sh), i.e. --launcher pytorch.')
    missing = [k for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT')
               if k not in os.environ]
    if missing:
        raise RuntimeError(
            f'--launcher pytorch needs {missing} in the environment; start '
            'the job with `bash tools/dist_train.sh CONFIG NPROC` (torchrun).')
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend='gloo')
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel')
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    n_bn = replace_sync_bn(cfg.model)
    print_log(
        f'No CUDA: distributed CPU training with gloo on '
        f'{torch_dist.get_world_size()} processes'
        + (f'; {n_bn} SyncBN config(s) replaced by BN' if n_bn else ''),
        logger='current')
    return True


def shutdown_distributed() -> None:
    """Wait for every rank, then destroy the default process group (no-op
    when none exists). Leaving a gloo group to interpreter exit can abort a
    rank ("terminate called without an active exception") after a run that
    finished, so the tools call this when training or testing is done."""
    if torch_dist.is_available() and torch_dist.is_initialized():
        torch_dist.barrier()
        torch_dist.destroy_process_group()
