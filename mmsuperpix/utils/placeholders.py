"""Late-bound ``${name}`` values in configs: the one home of their syntax."""
import copy
import re
from typing import Any, Optional

from mmengine.config import Config

from .config_errors import ConfigError

PLACEHOLDER = re.compile(
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
            whole = PLACEHOLDER.fullmatch(value)
            if whole:
                return copy.deepcopy(value_of(whole, value))
            return PLACEHOLDER.sub(
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



def whole_placeholder_value(cfg: Config, text: Any) -> Optional[Any]:
    """What a string that is exactly one placeholder stands for (None for
    any other value or an unknown name): lets a type check of
    ``--cfg-options`` see the number behind ``'${max_iters}'``."""
    if not isinstance(text, str):
        return None
    match = PLACEHOLDER.fullmatch(text)
    if match is None or match.group(1) not in cfg:
        return None
    probe = Config({match.group(1): cfg[match.group(1)], 'v': text})
    fill_placeholders(probe)
    return probe.v


def walk_values(node: Any, path: str = ''):
    """``(dotted path, value)`` of every leaf of a config tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk_values(value, f'{path}.{key}' if path else key)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from walk_values(value, f'{path}.{i}')
    else:
        yield path, node


def placeholder_names(tree: dict) -> set:
    """Names of the top-level keys that ``${name}`` placeholders use."""
    return {name for _, value in walk_values(tree) if isinstance(value, str)
            for name, _ in PLACEHOLDER.findall(value)}


