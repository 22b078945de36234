"""Early, readable checks of a config before the runner builds anything.

mmengine accepts any ``--cfg-options`` key silently (a typo such as
``train_dataloader.batchsize=2`` adds a new key and fails much later, deep in
the DataLoader) and reports an unknown ``type`` only when that component is
built, possibly after minutes of work. These checks run first and say what is
wrong and what to do instead.
"""
import difflib
from typing import Any, Dict, Iterator, List, Sequence, Tuple

import mmengine.registry as mmengine_registry
import mmseg.registry as mmseg_registry
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import Registry, init_default_scope


class ConfigError(ValueError):
    """A config or ``--cfg-options`` entry that cannot work as written."""


def _close(word: str, candidates: Sequence[str], cutoff: float) -> List[str]:
    return difflib.get_close_matches(word, list(candidates), n=3, cutoff=cutoff)


def check_cfg_options(cfg: Config, options: Dict[str, Any]) -> None:
    """Reject ``--cfg-options`` keys that look like typos of existing keys.

    Every dotted key is walked through ``cfg`` (list items by integer index,
    as ``merge_from_dict`` allows). A missing segment that closely matches an
    existing sibling is an error; a missing segment with no near match adds a
    new key, which is allowed but logged.

    Args:
        cfg (Config): The config before the options are merged.
        options (dict): ``{dotted.key: value}`` from ``--cfg-options``.

    Raises:
        ConfigError: On a likely typo, naming the closest existing keys.
    """
    tree = cfg.to_dict()
    for full_key in options:
        node: Any = tree
        parts = full_key.split('.')
        for depth, part in enumerate(parts):
            path = '.'.join(parts[:depth + 1])
            if isinstance(node, (list, tuple)):
                if not (part.isdigit() and int(part) < len(node)):
                    raise ConfigError(
                        f'--cfg-options key {full_key!r}: {path!r} indexes a '
                        f'list of {len(node)} items; use an index 0..'
                        f'{len(node) - 1}.')
                node = node[int(part)]
                continue
            if not isinstance(node, dict):
                break  # replacing a scalar or None by a new subtree
            if part not in node:
                parent = '.'.join(parts[:depth]) or 'the top level'
                near = _close(part, [str(k) for k in node], cutoff=0.75)
                if near:
                    raise ConfigError(
                        f'--cfg-options key {full_key!r}: {parent} has no key '
                        f'{part!r}. Did you mean {" or ".join(map(repr, near))}?'
                        ' Print the full config with `python tools/misc/'
                        'print_config.py CONFIG` to see the valid keys.')
                print_log(
                    f'--cfg-options adds the new key {path!r} (not in the '
                    'config).', logger='current')
                break
            node = node[part]


def _iter_types(node: Any, path: str = '') -> Iterator[Tuple[str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get('type'), str):
            yield path or '<top>', node['type']
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


def check_component_types(cfg: Config) -> None:
    """Check that every ``type='Name'`` in ``cfg`` is registered somewhere.

    Names with a dot (``'mmpretrain.ConvNeXt'``, import paths) are left to
    the registry, which resolves them itself.

    Args:
        cfg (Config): The merged config; its ``custom_imports`` must already
            have been imported (``Config.fromfile`` does that).

    Raises:
        ConfigError: Naming the config path, close registered names and how
            to register components from other packages.
    """
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    registries = _all_registries()
    for path, name in _iter_types(cfg.to_dict()):
        if '.' in name or any(reg.get(name) for reg in registries):
            continue
        known = {n for reg in registries for n in reg.module_dict}
        near = _close(name, sorted(known), cutoff=0.6)
        hint = f' Did you mean {" or ".join(map(repr, near))}?' if near else ''
        raise ConfigError(
            f'{path}: type {name!r} is not a registered component.{hint} '
            'If it comes from another package, add that package to the '
            "config's custom_imports, e.g. custom_imports = dict(imports="
            "['mmsuperpix', 'my_package'], allow_failed_imports=False).")
