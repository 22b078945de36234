"""Plot superpixel benchmark rows: metric vs actual count, and BR vs BP."""
import math
import os
import os.path as osp
from typing import Dict, List, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: (row key, axis label, file stem) of the metric-vs-count figures.
CURVES = (
    ('asa', 'ASA (achievable segmentation accuracy, higher is better)',
     'asa'),
    ('br', 'BR (boundary recall, higher is better)', 'br'),
    ('bp', 'BP (boundary precision, higher is better)', 'bp'),
    ('ue_np', 'UE (Neubert-Protzel under-segmentation error, lower is '
     'better)', 'ue'),
    ('co', 'CO (compactness, higher is more compact)', 'co'),
    ('ev', 'EV (explained variation, higher is better)', 'ev'),
)
_MARKERS = 'osD^v<>pP*Xh'


def _check_rows(rows_by_method: Dict[str, Sequence[dict]]) -> None:
    if not isinstance(rows_by_method, dict) or not rows_by_method:
        raise ValueError('rows_by_method must be a non-empty dict: method '
                         'name -> list of benchmark_method rows')
    needed = {'n_superpixels', 'br', 'bp', *(key for key, _, _ in CURVES)}
    for method, rows in rows_by_method.items():
        if not rows:
            raise ValueError(f'method {method!r} has no rows to plot')
        for row in rows:
            missing = needed - set(row)
            if missing:
                raise KeyError(
                    f'a row of method {method!r} lacks {sorted(missing)}; '
                    'pass the rows benchmark_method returns')


def _finite(xs: List[float], ys: List[float]):
    pairs = [(x, y) for x, y in zip(xs, ys)
             if y is not None and math.isfinite(x) and math.isfinite(y)]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _figure(title: str, xlabel: str, ylabel: str):
    fig = Figure(figsize=(6, 4.5), tight_layout=True)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return fig, ax


def plot_benchmark_curves(rows_by_method: Dict[str, Sequence[dict]],
                          out_dir: str) -> List[str]:
    """Draw the benchmark's curves, one line per method, to PNG files.

    Writes ``<out_dir>/{asa,br,bp,ue,co,ev}.png`` (the metric against the
    **actual** mean superpixel count ``n_superpixels``, with markers) and
    ``<out_dir>/br_bp.png`` (boundary recall against boundary precision,
    precision-recall style). Points are sorted by actual count; non-finite
    values (e.g. EV of constant images) are left out; a figure with no
    finite point is skipped.

    Args:
        rows_by_method (dict): Method name -> rows of
            :func:`mmsuperpix.evaluation.benchmark_method` (each with
            ``n_superpixels, asa, br, bp, ue_np, co, ev``).
        out_dir (str): Output folder, created when missing.

    Returns:
        list[str]: The written PNG paths.
    """
    _check_rows(rows_by_method)
    os.makedirs(out_dir, exist_ok=True)
    ordered = {
        method: sorted(rows, key=lambda r: r['n_superpixels'])
        for method, rows in rows_by_method.items()
    }
    paths = []
    for key, label, stem in CURVES:
        fig, ax = _figure(f'{key.upper()} vs number of superpixels',
                          'number of superpixels (actual mean)', label)
        drawn = False
        for i, (method, rows) in enumerate(ordered.items()):
            xs, ys = _finite([r['n_superpixels'] for r in rows],
                             [r[key] for r in rows])
            if xs:
                ax.plot(xs, ys, marker=_MARKERS[i % len(_MARKERS)],
                        label=method)
                drawn = True
        if drawn:
            ax.legend(fontsize=8)
            paths.append(osp.join(out_dir, f'{stem}.png'))
            fig.savefig(paths[-1], dpi=100)
    fig, ax = _figure('boundary recall vs precision',
                      'BP (boundary precision)', 'BR (boundary recall)')
    for i, (method, rows) in enumerate(ordered.items()):
        bps, brs = _finite([r['bp'] for r in rows], [r['br'] for r in rows])
        ax.plot(bps, brs, marker=_MARKERS[i % len(_MARKERS)], label=method)
        ends = rows[:1] + rows[1:][-1:]  # label the extreme counts
        for row in ends:
            if math.isfinite(row['bp']) and math.isfinite(row['br']):
                ax.annotate(f"K={row['n_superpixels']:.0f}",
                            (row['bp'], row['br']), fontsize=7,
                            textcoords='offset points', xytext=(3, 3))
    ax.legend(fontsize=8)
    paths.append(osp.join(out_dir, 'br_bp.png'))
    fig.savefig(paths[-1], dpi=100)
    return paths
