"""Plot the scalars mmengine logs during training (loss, lr, val metrics)."""
import json
import math
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Tuple

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: Keys that describe the logging itself rather than the training.
_BOOKKEEPING = {'step', 'iter', 'epoch', 'time', 'data_time', 'memory'}

Series = Dict[str, Tuple[List[float], List[float]]]


def read_scalars(path: str) -> Tuple[Series, Series]:
    """Split an mmengine ``vis_data/scalars.json`` into train and val series.

    Training records carry ``lr``; validation records do not.

    Args:
        path (str): The JSON-lines file written by ``LocalVisBackend``.

    Returns:
        tuple: ``train`` and ``val`` dicts mapping each key to
        ``(steps, values)``.
    """
    train: Series = defaultdict(lambda: ([], []))
    val: Series = defaultdict(lambda: ([], []))
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            target = train if 'lr' in record else val
            for key, value in record.items():
                if key in _BOOKKEEPING or not isinstance(value, (int, float)):
                    continue
                target[key][0].append(record['step'])
                target[key][1].append(value)
    return dict(train), dict(val)


def _by_scale(series: Series) -> List[Series]:
    """Split series into groups of the same order of magnitude, so that
    fractions, percentages and counts each get a readable axis."""
    groups: Dict[int, Series] = {}
    for key, (steps, values) in series.items():
        top = max((abs(v) for v in values), default=0.0)
        decade = max(0, math.ceil(math.log10(top))) if top > 0 else 0
        groups.setdefault(decade, {})[key] = (steps, values)
    return [groups[d] for d in sorted(groups)]


def plot_training_curves(scalars_path: str, out_file: str) -> str:
    """Draw losses, learning rate, pseudo-label diagnostics (semi-supervised
    runs with reference labels) and validation metrics to one PNG.

    Args:
        scalars_path (str): ``<work_dir>/<timestamp>/vis_data/scalars.json``.
        out_file (str): Where to write the PNG.

    Returns:
        str: ``out_file``.
    """
    if not osp.isfile(scalars_path):
        raise FileNotFoundError(
            f'{scalars_path!r} does not exist: train with LocalVisBackend '
            '(the default visualizer) so mmengine logs scalars there.')
    train, val = read_scalars(scalars_path)
    losses = {k: v for k, v in train.items() if 'loss' in k}
    overall = ('pseudo.precision', 'pseudo.recall', 'pseudo.coverage')
    panels = [('training losses', losses, True),
              ('learning rate', {'lr': train['lr']} if 'lr' in train else {},
               False),
              ('pseudo-labels', {k: train[k] for k in overall if k in train},
               False),
              ('pseudo-label precision per class', {
                  k: v for k, v in train.items()
                  if k.startswith('pseudo.precision.c')}, False),
              ('pseudo-label recall per class', {
                  k: v for k, v in train.items()
                  if k.startswith('pseudo.recall.c')}, False)]
    panels += [('validation', group, False) for group in _by_scale(val)]
    panels = [p for p in panels if p[1]]
    fig = Figure(figsize=(5 * max(len(panels), 1), 4), tight_layout=True)
    FigureCanvasAgg(fig)
    for i, (title, series, log_y) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        for key, (steps, values) in sorted(series.items()):
            ax.plot(steps, values, marker='o' if len(steps) < 20 else None,
                    label=key)
        if log_y and all(v > 0 for _, vs in series.values() for v in vs):
            ax.set_yscale('log')
        ax.set_title(title)
        ax.set_xlabel('iteration')
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.savefig(out_file, dpi=100)
    return out_file
