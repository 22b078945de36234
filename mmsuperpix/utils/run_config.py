"""The config handling shared by ``tools/train.py`` and ``tools/test.py``."""
import argparse
import inspect
import os
import os.path as osp
from typing import Any, Optional

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from .checkpoint_loading import (add_unsafe_checkpoint_argument,
                                 set_unsafe_checkpoint_loading)
from .config_check import (check_cfg_options,
                           check_component_types, check_weight_files)
from .config_errors import ConfigError
from .data_check import check_datasets
from .dist import setup_cpu_distributed
from .placeholders import (fill_placeholders, placeholder_names,
                           walk_values)
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


#: Top-level keys read after the file is parsed: the Runner's arguments
#: and what the tools and mmengine's Config use themselves.
_READ_KEYS = {
    *inspect.signature(Runner.__init__).parameters, 'runner_type',
    'custom_imports', 'tta_model', 'tta_pipeline', 'allow_unsafe_checkpoint'
}


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
    used = placeholder_names(tree)
    for key in options:
        name = key.split('.')[0]
        if name not in tree or name in _READ_KEYS or name in used or \
                name == 'num_classes':  # follow_num_classes sets it
            continue
        value = tree[name]
        holders = [path for path, leaf in walk_values(
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
    if 'max_iters' in placeholder_names(cfg.to_dict()):
        cfg.max_iters = options['train_cfg.max_iters']
        cfg.train_cfg.max_iters = '${max_iters}'


def _set_num_classes(node: Any, value: int) -> int:
    """Set every ``num_classes`` and every flow's ``num_components`` in a
    config subtree; returns how many entries were set."""
    count = 0
    if isinstance(node, dict):
        for key in ('num_classes', 'num_components'):
            if key in node and (key == 'num_classes' or
                                node.get('type') == 'FlowDensityEstimator'):
                node[key] = value
                count += 1
        for child in node.values():
            count += _set_num_classes(child, value)
    elif isinstance(node, (list, tuple)):
        for child in node:
            count += _set_num_classes(child, value)
    return count


def follow_num_classes(cfg: Config, options: dict) -> None:
    """Make ``--cfg-options num_classes=N`` reach every head of the model
    (decode and auxiliary heads, pseudo-label rules) and the mixture
    components of DDFP's flow, one per class.

    The config files keep plain values (``num_classes=num_classes``), so
    mmseg's own ``init_model`` can build them; the top-level key is the one
    knob for another dataset.
    """
    if 'num_classes' not in options or 'model' not in cfg:
        return
    value = options['num_classes']
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f'--cfg-options num_classes={value!r}: give a '
                          'positive integer, e.g. num_classes=11')
    if not _set_num_classes(cfg.model, value):
        raise ConfigError('--cfg-options num_classes: this config\'s model '
                          'has no num_classes to set')


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
        follow_num_classes(cfg, cfg_options)
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


def load_tool_config(args: argparse.Namespace, split: str) -> Config:
    """The config of a single-process tool that reads one split's data
    (``tools/fit_kmeans_head.py``, ``tools/analysis_tools/...``): the
    options of :func:`add_run_arguments` and ``args.config`` applied by
    :func:`load_run_config`, then the ``split``'s datasets checked.

    Raises:
        ConfigError: For a bad config, option or dataset.
    """
    cfg = load_run_config(
        args.config,
        args.cfg_options,
        args.work_dir,
        allow_unsafe_checkpoint=args.allow_unsafe_checkpoint)
    check_datasets(cfg, split)
    return cfg
