"""The config handling shared by ``tools/train.py`` and ``tools/test.py``."""
import argparse
import os
import os.path as osp
import re
from typing import Any, Optional

from mmengine.config import Config, DictAction

from .config_check import (ConfigError, check_cfg_options,
                           check_component_types, check_weight_files)
from .dist import setup_cpu_distributed


def add_run_arguments(parser: argparse.ArgumentParser,
                      work_dir_help: str) -> None:
    """Add the options mmseg's train and test tools share.

    ``--work-dir``, ``--cfg-options``, ``--launcher`` and ``--local-rank``,
    with mmseg 1.2.2's names, choices and defaults.
    """
    parser.add_argument('--work-dir', help=work_dir_help)
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file. If the value to '
        'be overwritten is a list, it should be like key="[a,b]" or key=a,b '
        'It also allows nested list/tuple values, e.g. key="[(a,b),(c,d)]" '
        'Note that the quotation marks are necessary and that no white space '
        'is allowed. Keys must exist in the config (typos are reported).')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank; torchrun sets LOCAL_RANK
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def export_local_rank(args: argparse.Namespace) -> None:
    """Set ``LOCAL_RANK`` from ``--local-rank`` unless torchrun did."""
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))


_PLACEHOLDER = re.compile(r'\$\{([A-Za-z_][A-Za-z0-9_]*)\}')


def fill_placeholders(cfg: Config) -> None:
    """Replace ``${name}`` in the config's strings by top-level ``cfg.name``.

    mmengine resolves variables when the file is read, so
    ``--cfg-options labeled_split=366`` cannot change a path built from
    ``labeled_split`` in the file. Writing the path as
    ``'splits/${labeled_split}/labeled.txt'`` defers the substitution to
    here, after the options are merged.

    Raises:
        ConfigError: For a placeholder with no top-level key.
    """

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            def lookup(match):
                name = match.group(1)
                if name not in cfg:
                    raise ConfigError(
                        f'placeholder ${{{name}}} in {value!r} has no '
                        f'top-level config key {name!r}; define it or pass '
                        f'--cfg-options {name}=...')
                return str(cfg[name])

            return _PLACEHOLDER.sub(lookup, value)
        if isinstance(value, dict):
            for key in value:
                value[key] = fill(value[key])
            return value
        if isinstance(value, list):
            value[:] = [fill(v) for v in value]
            return value
        if isinstance(value, tuple):
            return type(value)(fill(v) for v in value)
        return value

    for key in list(cfg.keys()):
        cfg[key] = fill(cfg[key])


def load_run_config(config: str,
                    cfg_options: Optional[dict] = None,
                    work_dir: Optional[str] = None,
                    launcher: str = 'none',
                    check_files: bool = True) -> Config:
    """Load, override and check a config the way mmseg's tools do.

    Steps: ``Config.fromfile`` (imports ``custom_imports``) -> reject
    ``--cfg-options`` typos -> merge them -> resolve ``work_dir`` (CLI >
    config > ``./work_dirs/<config name>``) -> check that every component
    type is registered (after filling ``${name}`` placeholders) -> adapt
    distributed settings to CPU-only machines.

    Args:
        config (str): Config file path.
        cfg_options (dict, optional): Parsed ``--cfg-options``.
        work_dir (str, optional): ``--work-dir``.
        launcher (str): ``--launcher``. Defaults to ``'none'``.
        check_files (bool): Check that local weight files exist (off for
            tools that only inspect the config). Defaults to True.

    Returns:
        Config: The config, ready for ``Runner.from_cfg``.

    Raises:
        ConfigError: For a missing config file, a likely typo in
            ``cfg_options`` or an unregistered component type.
    """
    if not osp.isfile(config):
        raise ConfigError(
            f'config file {config!r} does not exist (paths are relative to '
            f'{osp.abspath(".")}); configs live under configs/, e.g. '
            'configs/demo/.')
    cfg = Config.fromfile(config)
    cfg.launcher = launcher
    if cfg_options:
        check_cfg_options(cfg, cfg_options)
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config))[0])
    fill_placeholders(cfg)
    check_component_types(cfg)
    if check_files:
        check_weight_files(cfg)
    setup_cpu_distributed(cfg, launcher)
    return cfg
