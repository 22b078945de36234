"""Imports run one way: ops <- superpixels <- models <- datasets /
evaluation / engine / visualization <- apis (utils and the registry below
all), with no import cycle between packages and no import inside a
function (a function-level import that dodges a cycle is a design bug)."""
import ast
import os.path as osp
from pathlib import Path

from conftest import REPO

PACKAGE = Path(REPO) / 'mmsuperpix'
LAYERS = {
    'registry': 0, 'utils': 0, 'version': 0, 'ops': 1, 'superpixels': 2,
    'models': 3, 'datasets': 4, 'evaluation': 4, 'engine': 4,
    'visualization': 4, 'apis': 5
}


def _imports(path: Path):
    """``(line, target top-level package, inside a function)`` of every
    mmsuperpix import in the module at ``path``."""
    tree = ast.parse(path.read_text(), str(path))
    parts = path.relative_to(PACKAGE.parent).with_suffix('').parts
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module
                base = parts[:len(parts) - node.level]
                module = '.'.join(base + tuple(filter(None, [node.module])))
            else:
                module = node.module or ''
            names = [module] if module != 'mmsuperpix' else [
                f'mmsuperpix.{a.name}' for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith('mmsuperpix.'):
                yield node.lineno, name.split('.')[1], id(node) in inside


def test_layers_and_no_function_level_imports():
    problems, edges = [], set()
    for path in sorted(PACKAGE.rglob('*.py')):
        source = path.relative_to(PACKAGE).parts[0].removesuffix('.py')
        if source == '__init__':
            continue
        for line, target, in_function in _imports(path):
            where = f'{osp.relpath(path, REPO)}:{line}'
            if in_function:
                problems.append(f'{where}: imports mmsuperpix.{target} '
                                'inside a function')
            if target != source:
                edges.add((source, target))
                if LAYERS[target] > LAYERS[source]:
                    problems.append(f'{where}: {source} (layer '
                                    f'{LAYERS[source]}) imports {target} '
                                    f'(layer {LAYERS[target]})')
    for source, target in edges:
        if (target, source) in edges:
            problems.append(f'{source} and {target} import each other')
    assert not problems, '\n'.join(problems)
