"""Early, readable checks of a config before the runner builds anything.

mmengine accepts any ``--cfg-options`` key silently (a typo such as
``train_dataloader.batchsize=2`` adds a new key and fails much later, deep in
the DataLoader) and reports an unknown ``type`` only when that component is
built, possibly after minutes of work. These checks run first and say what is
wrong and what to do instead.
"""
import copy
import difflib
import inspect
import os.path as osp
from typing import Any, Dict, Iterator, List, Sequence, Tuple

import mmengine.registry as mmengine_registry
import mmseg.registry as mmseg_registry
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import Registry, init_default_scope

from .config_errors import ConfigError
from .placeholders import whole_placeholder_value


def _close(word: str, candidates: Sequence[str], cutoff: float) -> List[str]:
    return difflib.get_close_matches(word, list(candidates), n=3, cutoff=cutoff)


def _find_component(name: str):
    """The class or function registered as ``name`` anywhere, or None."""
    for reg in _all_registries():
        obj = reg.get(name)
        if obj is not None:
            return obj
    return None


def _accepted_arguments(component) -> Tuple[List[str], bool]:
    """Named arguments of a component's constructor chain, and whether it
    also swallows arbitrary keywords (``**kwargs`` all the way up)."""
    targets = [c.__init__ for c in inspect.getmro(component)
               if '__init__' in vars(c)] if inspect.isclass(component) \
        else [component]
    names: List[str] = []
    for target in targets:
        try:
            params = list(inspect.signature(target).parameters.values())
        except (TypeError, ValueError):
            return names, True
        names += [p.name for p in params if p.name != 'self' and
                  p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            return names, False
    return names, True


def _walk(tree: Any, parts: Sequence[str]) -> Any:
    for part in parts:
        tree = tree[int(part)] if isinstance(tree, (list, tuple)) else \
            tree[part]
    return tree


def _check_new_key(full_key: str, parts: List[str], depth: int,
                   existing: Dict[str, Any], merged: Any) -> None:
    """Judge ``parts[depth]``, absent from ``existing`` (the parent dict)."""
    part = parts[depth]
    parent = '.'.join(parts[:depth]) or 'the top level'
    candidates = [str(k) for k in existing]
    owner = _walk(merged, parts[:depth])
    component = _find_component(owner['type']) if isinstance(
        owner, dict) and isinstance(owner.get('type'), str) and \
        '.' not in owner['type'] else None
    if component is not None:
        arguments, open_ended = _accepted_arguments(component)
        if part in arguments:
            return
        if not open_ended:
            near = _close(part, arguments, cutoff=0.6)
            hint = f' Did you mean {" or ".join(map(repr, near))}?' if near \
                else f' It accepts: {", ".join(arguments)}.'
            raise ConfigError(
                f'--cfg-options key {full_key!r}: {parent} is a '
                f'{owner["type"]}, which takes no argument {part!r}.{hint}')
        candidates += arguments
    near = _close(part, candidates, cutoff=0.75)
    if near:
        raise ConfigError(
            f'--cfg-options key {full_key!r}: {parent} has no key '
            f'{part!r}. Did you mean {" or ".join(map(repr, near))}? Print '
            'the full config with `python tools/misc/print_config.py '
            'CONFIG` to see the valid keys.')
    print_log(f'--cfg-options adds the new key {".".join(parts[:depth + 1])!r}'
              ' (not in the config).', logger='current')


def _typed_value(full_key: str, existing: Any, value: Any) -> Any:
    """``value`` if it can replace ``existing`` (an integral float for an
    int becomes that int), else a ConfigError naming the expected type."""
    if isinstance(existing, bool):
        if isinstance(value, bool):
            return value
        expected, example = 'True or False', not existing
    elif isinstance(existing, (int, float)):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(existing, float) or isinstance(value, int):
                return value
            if value.is_integer():
                return int(value)
        expected = 'an integer' if isinstance(existing, int) else 'a number'
        example = existing
    else:
        return value
    raise ConfigError(
        f'--cfg-options {full_key}={value!r}: {full_key} takes {expected} '
        f'(the config has {existing!r}), not the {type(value).__name__} '
        f'{value!r}; e.g. --cfg-options {full_key}={example}')


def check_cfg_options(cfg: Config, options: Dict[str, Any]) -> None:
    """Reject ``--cfg-options`` keys that cannot be what the user meant.

    Every dotted key is walked through ``cfg`` (list items by integer index,
    as ``merge_from_dict`` allows). A key that does not exist yet is judged
    by what it is added to: inside a component config (a dict with a
    registered ``type``, after the options are merged) it must be one of
    that component's constructor arguments; elsewhere (e.g.
    ``train_dataloader``) it must not closely match an existing key, which
    would make it a likely typo. Other new keys are allowed and logged.
    A value for an existing int, float or bool must have a type that can
    replace it (``train_cfg.max_iters=abc`` is refused); an integral float
    for an int (``1e3``) is converted in ``options``. Existing ``None`` and
    string values accept anything.

    Args:
        cfg (Config): The config before the options are merged.
        options (dict): ``{dotted.key: value}`` from ``--cfg-options``.

    Raises:
        ConfigError: On a likely typo, naming the closest valid keys, or on
            a value of the wrong type, naming the expected one.
    """
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    tree = cfg.to_dict()
    merged_cfg = copy.deepcopy(cfg)
    try:
        merged_cfg.merge_from_dict(options)
        merge_error = None
    except (KeyError, IndexError, TypeError, ValueError) as e:
        merge_error = e
    merged = merged_cfg.to_dict()
    for full_key in options:
        node: Any = tree
        parts = full_key.split('.')
        for depth, part in enumerate(parts):
            if isinstance(node, (list, tuple)):
                if not (part.isdigit() and int(part) < len(node)):
                    path = '.'.join(parts[:depth + 1])
                    raise ConfigError(
                        f'--cfg-options key {full_key!r}: {path!r} indexes a '
                        f'list of {len(node)} items; use an index 0..'
                        f'{len(node) - 1}.')
                node = node[int(part)]
                continue
            if not isinstance(node, dict):
                break  # replacing a scalar or None by a new subtree
            if part not in node:
                _check_new_key(full_key, parts, depth, node, merged)
                break
            node = node[part]
        else:
            # a late-bound '${max_iters}' is checked as the number it stands for
            bound = whole_placeholder_value(cfg, node)
            options[full_key] = _typed_value(
                full_key, node if bound is None else bound, options[full_key])
    if merge_error is not None:
        raise ConfigError(f'--cfg-options cannot be merged: {merge_error}')


#: Top-level keys that mmengine's Runner (and mmseg's test.py --tta) build;
#: other top-level entries are helper variables, checked where they are used.
_BUILT_KEYS = ('model', 'train_dataloader', 'val_dataloader',
               'test_dataloader', 'train_cfg', 'val_cfg', 'test_cfg',
               'optim_wrapper', 'param_scheduler', 'val_evaluator',
               'test_evaluator', 'default_hooks', 'custom_hooks',
               'visualizer', 'model_wrapper_cfg', 'log_processor',
               'tta_model', 'tta_pipeline')
#: Components whose nested ``type`` names belong to another library.
_FOREIGN_CHILDREN = ('Albu', )


def _iter_types(node: Any, path: str = '') -> Iterator[Tuple[str, dict]]:
    if isinstance(node, dict):
        if isinstance(node.get('type'), str):
            yield path or '<top>', node
            if node['type'] in _FOREIGN_CHILDREN:
                return
        for key, value in node.items():
            yield from _iter_types(value, f'{path}.{key}' if path else str(key))
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _iter_types(value, f'{path}.{i}')


def _all_registries() -> List[Registry]:
    return [
        reg for module in (mmseg_registry, mmengine_registry)
        for reg in vars(module).values() if isinstance(reg, Registry)
    ]


#: Keys that builders consume before calling a component's constructor.
_BUILD_KEYS = {
    'type', '_scope_', 'priority', 'convert_to_iter_based', 'paramwise_cfg',
    'constructor'
}
#: Components whose config goes straight to the constructor. Layer configs
#: (``norm_cfg``, ``act_cfg``... of torch / mmcv.cnn layers) are built by
#: helpers that consume extra keys (``requires_grad``): not checked.
_DIRECT_PACKAGES = ('mmseg.', 'mmsuperpix.', 'mmengine.', 'mmcv.transforms')


def check_component_types(cfg: Config) -> None:
    """Check that every ``type='Name'`` in ``cfg`` is registered somewhere
    and that its other keys are arguments the component accepts.

    Names with a dot (``'mmpretrain.ConvNeXt'``, import paths) are left to
    the registry, which resolves them itself; components whose constructors
    take ``**kwargs`` all the way up are not argument-checked.

    Args:
        cfg (Config): The merged config; its ``custom_imports`` must already
            have been imported (``Config.fromfile`` does that).

    Raises:
        ConfigError: Naming the config path, close registered names and how
            to register components from other packages, or the unknown
            argument and the accepted ones.
    """
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    registries = _all_registries()
    tree = cfg.to_dict()
    built = {k: tree[k] for k in _BUILT_KEYS if k in tree}
    for path, node in _iter_types(built):
        name = node['type']
        if '.' in name:
            continue
        component = _find_component(name)
        if component is not None:
            # keys a custom optim-wrapper constructor reads itself
            constructor = (_find_component(node['constructor'])
                           if isinstance(node.get('constructor'), str)
                           else None)
            own = getattr(constructor, 'config_keys', ())
            _check_arguments(path, name, component,
                             {k: v for k, v in node.items() if k not in own})
            continue
        known = {n for reg in registries for n in reg.module_dict}
        near = _close(name, sorted(known), cutoff=0.6)
        hint = f' Did you mean {" or ".join(map(repr, near))}?' if near else ''
        raise ConfigError(
            f'{path}: type {name!r} is not a registered component.{hint} '
            'If it comes from another package, add that package to the '
            "config's custom_imports, e.g. custom_imports = dict(imports="
            "['mmsuperpix', 'my_package'], allow_failed_imports=False).")


def _check_arguments(path: str, name: str, component, node: dict) -> None:
    key = path.rsplit('.', 1)[-1]
    if key.endswith('_cfg') and key != 'init_cfg' or not getattr(
            component, '__module__', '').startswith(_DIRECT_PACKAGES):
        return
    arguments, open_ended = _accepted_arguments(component)
    if open_ended:
        return
    for key in set(node) - _BUILD_KEYS - set(arguments):
        near = _close(key, arguments, cutoff=0.6)
        hint = f'Did you mean {" or ".join(map(repr, near))}?' if near else \
            f'It accepts: {", ".join(arguments)}.'
        raise ConfigError(f'{path}: {name} takes no argument {key!r}. {hint}')


def _iter_weight_files(node: Any, path: str = '') -> Iterator[Tuple[str, str]]:
    """``(config path, file)`` of local weights the config will load."""
    if isinstance(node, dict):
        if node.get('type') in ('Pretrained', 'Pretrained_Part') and \
                isinstance(node.get('checkpoint'), str):
            yield f'{path}.checkpoint', node['checkpoint']
        if isinstance(node.get('pretrained'), str):
            yield f'{path}.pretrained', node['pretrained']
        for key, value in node.items():
            yield from _iter_weight_files(value,
                                          f'{path}.{key}' if path else key)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _iter_weight_files(value, f'{path}.{i}')


def check_weight_files(cfg: Config) -> None:
    """Check that local pretrained weights and ``load_from`` exist.

    URLs and ``scheme://`` names (``open-mmlab://``, ``torchvision://``) are
    left to mmengine, which downloads them.

    Raises:
        ConfigError: Naming the config key, the file and the ways out.
    """
    files = list(_iter_weight_files(cfg.to_dict()))
    if cfg.get('load_from'):
        files.append(('load_from', cfg.load_from))
    for key, path in files:
        if '://' in path or osp.isfile(path):
            continue
        raise ConfigError(
            f'{key}: weights file {path!r} does not exist (relative to '
            f'{osp.abspath(".")}). Download it to that path (mmseg\'s '
            'ImageNet ResNets: https://download.openmmlab.com/pretrain/'
            'third_party/resnet101_v1c-e67eebb6.pth and resnet50_v1c-'
            '2cccc1ad.pth), point the config at your copy (e.g. '
            '--cfg-options pretrained_backbone=/path/to/weights.pth), or '
            f'train from scratch with --cfg-options {key.rsplit(".", 1)[0]}'
            '=None.')
