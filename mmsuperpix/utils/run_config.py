"""The config handling shared by ``tools/train.py`` and ``tools/test.py``."""
import argparse
import copy
import inspect
import os
import os.path as osp
import re
from typing import Any, Optional

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from .checkpoint_loading import (add_unsafe_checkpoint_argument,
                                 set_unsafe_checkpoint_loading)
from .config_check import (ConfigError, check_cfg_options,
                           check_component_types, check_weight_files)
from .dist import setup_cpu_distributed
from .run_safeguards import add_run_safeguards


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
    add_unsafe_checkpoint_argument(
        parser, note='; same as allow_unsafe_checkpoint=True in the config')


def export_local_rank(args: argparse.Namespace) -> None:
    """Set ``LOCAL_RANK`` from ``--local-rank`` unless torchrun did."""
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))


_PLACEHOLDER = re.compile(
    r'\$\{([A-Za-z_][A-Za-z0-9_]*)(?:\*([0-9]*\.?[0-9]+))?\}')


def fill_placeholders(cfg: Config) -> None:
    """Replace ``${name}`` in the config's strings by top-level ``cfg.name``.

    mmengine resolves variables when the file is read, so
    ``--cfg-options labeled_split=366`` cannot change a path built from
    ``labeled_split`` in the file. Writing the path as
    ``'splits/${labeled_split}/labeled.txt'`` defers the substitution to
    here, after the options are merged. A string that is exactly
    ``'${name}'`` becomes (a copy of) the value itself, keeping its type,
    e.g. ``crop_size=(128, 128)`` for ``RandomCrop(crop_size='${crop_size}')``;
    inside a longer string the value is substituted as text.
    ``'${name*0.1}'`` is a share of a numeric value, rounded to an integer
    (at least 1 if positive) when the value is one:
    ``sup_only_iters='${max_iters*0.1}'`` follows
    ``--cfg-options max_iters=3000`` (a schedule written relative to the
    training budget).

    Raises:
        ConfigError: For a placeholder with no top-level key, or a share of
            a value that is not a number.
    """

    def value_of(match: re.Match, where: str) -> Any:
        name, share = match.groups()
        if name not in cfg:
            raise ConfigError(
                f'placeholder ${{{name}}} in {where!r} has no top-level '
                f'config key {name!r}; define it or pass --cfg-options '
                f'{name}=...')
        value = cfg[name]
        if share is None:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(
                f'placeholder {match.group(0)} in {where!r} takes a share of '
                f'{name}={value!r}, which is not a number')
        scaled = value * float(share)
        if not isinstance(value, int):
            return scaled
        # a positive share of a positive count stays >= 1 (a 6-iteration
        # test run keeps a non-empty warm-up)
        return max(int(round(scaled)), 1) if scaled > 0 else int(round(scaled))

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            whole = _PLACEHOLDER.fullmatch(value)
            if whole:
                return copy.deepcopy(value_of(whole, value))
            return _PLACEHOLDER.sub(
                lambda match: str(value_of(match, value)), value)
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


#: Top-level keys read after the file is parsed: the Runner's arguments
#: and what the tools and mmengine's Config use themselves.
_READ_KEYS = {
    *inspect.signature(Runner.__init__).parameters, 'runner_type',
    'custom_imports', 'tta_model', 'tta_pipeline', 'allow_unsafe_checkpoint'
}


def _walk_values(node: Any, path: str = ''):
    """``(dotted path, value)`` of every leaf of a config tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk_values(value, f'{path}.{key}' if path else key)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _walk_values(value, f'{path}.{i}')
    else:
        yield path, node


def _placeholder_names(tree: dict) -> set:
    """Names of the top-level keys that ``${name}`` placeholders use."""
    return {name for _, value in _walk_values(tree) if isinstance(value, str)
            for name, _ in _PLACEHOLDER.findall(value)}


def check_helper_variables(cfg: Config, options: dict) -> None:
    """Refuse ``--cfg-options`` on a top-level helper variable that nothing
    reads any more.

    mmengine substitutes a variable such as ``max_iters = 1500`` or
    ``dataset_type`` where the file uses it, when the file is read; setting
    it afterwards changes nothing, silently. A top-level key is live when
    the runner or the tools read it (:data:`_READ_KEYS`) or a ``${name}``
    placeholder uses it.

    Raises:
        ConfigError: Naming the key and the entries that hold its value.
    """
    tree = cfg.to_dict()
    used = _placeholder_names(tree)
    for key in options:
        name = key.split('.')[0]
        if name not in tree or name in _READ_KEYS or name in used:
            continue
        value = tree[name]
        holders = [path for path, leaf in _walk_values(
            {k: v for k, v in tree.items() if k != name})
                   if leaf == value and type(leaf) is type(value)
                   and path.split('.')[0] in _READ_KEYS][:4]
        where = f' Entries holding its value {value!r}: ' \
            f'{", ".join(holders)}.' if holders and not isinstance(
                value, (dict, list)) else ''
        raise ConfigError(
            f'--cfg-options {key}: the top-level {name!r} is a helper '
            'variable that the config used while it was read; changing it '
            f'now would change nothing.{where} Set the entries you mean '
            'directly (python tools/misc/print_config.py CONFIG shows them).')


def follow_budget(cfg: Config, options: dict) -> None:
    """Make ``--cfg-options train_cfg.max_iters=N`` set the budget.

    Where the config writes its schedule relative to a top-level
    ``max_iters`` (``train_cfg.max_iters='${max_iters}'``, phases as
    ``'${max_iters*0.1}'``), overriding ``train_cfg.max_iters`` alone would
    leave the learning-rate schedule and the phases where they were; it
    sets ``max_iters`` instead, so that one override rescales everything.
    """
    if 'train_cfg.max_iters' not in options or 'max_iters' in options or \
            'max_iters' not in cfg:
        return
    if 'max_iters' in _placeholder_names(cfg.to_dict()):
        cfg.max_iters = options['train_cfg.max_iters']
        cfg.train_cfg.max_iters = '${max_iters}'


def load_run_config(config: str,
                    cfg_options: Optional[dict] = None,
                    work_dir: Optional[str] = None,
                    launcher: str = 'none',
                    check_files: bool = True,
                    allow_unsafe_checkpoint: bool = False) -> Config:
    """Load, override and check a config the way mmseg's tools do.

    Steps: ``Config.fromfile`` (imports ``custom_imports``) -> reject
    ``--cfg-options`` typos -> merge them -> resolve ``work_dir`` (CLI >
    config > ``./work_dirs/<config name>``) -> check that every component
    type is registered (after filling ``${name}`` placeholders) -> adapt
    distributed settings to CPU-only machines -> add the run safeguards
    (:func:`add_run_safeguards`) -> set the checkpoint-loading policy.

    Args:
        config (str): Config file path.
        cfg_options (dict, optional): Parsed ``--cfg-options``.
        work_dir (str, optional): ``--work-dir``.
        launcher (str): ``--launcher``. Defaults to ``'none'``.
        check_files (bool): Check that local weight files exist (off for
            tools that only inspect the config). Defaults to True.
        allow_unsafe_checkpoint (bool): ``--allow-unsafe-checkpoint``: load
            checkpoints with full unpickling in this process, as does a
            top-level ``allow_unsafe_checkpoint=True`` in the config.
            Defaults to False.

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
        check_helper_variables(cfg, cfg_options)
        cfg.merge_from_dict(cfg_options)
        follow_budget(cfg, cfg_options)
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
    add_run_safeguards(cfg)
    set_unsafe_checkpoint_loading(
        allow_unsafe_checkpoint or cfg.get('allow_unsafe_checkpoint', False))
    return cfg
