"""Eliasof et al. vs RIM, with an ablation of each addition, next to OpenCV
SLIC and the shipped default model: BSDS500 val, all annotators.

Variants of the per-image optimiser (same N, iterations, seed and preset):

- ``eliasof``: the full method;
- ``no_soft_image``: without the soft superpixelated-image reconstruction;
- ``no_edge``: without the edge loss (eta = 0);
- ``no_laplacian``: without the Laplacian feature maps;
- ``no_aspp``: a plain body (the 1x1 head on the features, as RIM);
- ``rim``: all four switched off (RIM).

Every variant runs with N = ``n_segments`` (equal N). Labels are cached
per (variant, count, image) under ``--work-dir``, so an
interrupted run continues where it stopped (re-run the same command).
Prints ASA / BR / BP / UE at equal *actual* counts (interpolated along each
method's curve), BR at tolerance r = 2 (the paper's) beside the toolkit's
default r, the actual counts reached per request, and paired per-image
differences to RIM at equal N (mean and 95% interval over images); writes
results.json, the K curves, the first image's superpixels of every method
(``overlays.png``) and, with ``--loss-curves``, each variant's loss terms
over the iterations (``loss_curves.png``) to ``--work-dir``.

Example (the fast preset, 30 images, about 2 h on 2 CPU cores)::

    python benchmarks/unsupervised_superpixel_quality.py \\
        --data-root data/BSDS500 --limit 30 --counts 100 200 400 800
"""
import argparse
import json
import os
import os.path as osp
import time

import cv2
import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from mmengine.config import DictAction
from matplotlib.figure import Figure

import mmsuperpix  # noqa: F401
from mmsuperpix.evaluation import bsds500_samples, superpixel_metrics
from mmsuperpix.superpixels import build_superpixel_method, method_from_config
from mmsuperpix.visualization import (draw_superpixel_boundaries,
                                      plot_benchmark_curves)
from superpixel_quality import at_counts
from sweep_utils import interval

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
ZOO = osp.join(REPO, 'mmsuperpix', 'model_zoo')
PRESETS = {'paper': 'eliasof_icip2022.py', 'fast': 'eliasof_icip2022_fast.py'}
VARIANTS = {
    'eliasof': {},
    'no_soft_image': {'superpixel_method.loss.soft_image_recon': False},
    'no_edge': {'superpixel_method.loss.eta': 0.0},
    'no_laplacian': {'superpixel_method.model.laplacian_features': False},
    'no_aspp': {'superpixel_method.model.aspp_dilations': None},
    'rim': {'superpixel_method.loss.soft_image_recon': False,
            'superpixel_method.loss.eta': 0.0,
            'superpixel_method.model.laplacian_features': False,
            'superpixel_method.model.aspp_dilations': None},
}
REFERENCES = ('opencv_slic', 'default')
METRICS = ('asa', 'br', 'br_r2', 'bp', 'ue_np')


def cached_labels(method, name, samples, count, work_dir):
    """Labels of every sample for one variant and count, computed in chunks
    of the method's batch size and cached as .npy files."""
    folder = osp.join(work_dir, 'labels', name, str(count))
    os.makedirs(folder, exist_ok=True)
    paths = [osp.join(folder, f'{sample[0]}.npy') for sample in samples]
    todo = [i for i, path in enumerate(paths) if not osp.isfile(path)]
    for start in range(0, len(todo), method.batch_size):
        chunk = todo[start:start + method.batch_size]
        begin = time.perf_counter()
        outputs = method.segment_images([samples[i][1] for i in chunk],
                                        count)
        seconds = (time.perf_counter() - begin) / len(chunk)
        for i, labels in zip(chunk, outputs):
            np.save(paths[i], labels)
        print(f'  {name} n={count}: {len(todo) - start - len(chunk)} '
              f'images left, {seconds:.0f} s per image', flush=True)
    return [np.load(path) for path in paths]


def overlay_figure(samples, labels_by_name, out_file):
    """The first image's superpixels of every method side by side."""
    _, image, gt = samples[0]
    panels = []
    for name, labels in labels_by_name.items():
        panel = draw_superpixel_boundaries(image, labels, ground_truth=gt[0])
        cv2.putText(panel, f'{name} K={labels.max() + 1}', (6, 22),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 2)
        panels.append(panel)
    cv2.imwrite(out_file, np.concatenate(panels, 1))


def loss_curves(methods, image, count, out_file):
    """Each variant's loss terms over the iterations on one image."""
    fig = Figure(figsize=(5 * len(methods), 4), tight_layout=True)
    FigureCanvasAgg(fig)
    rgb = torch.from_numpy(image[..., ::-1].copy()).permute(2, 0, 1)[None]
    for i, (name, method) in enumerate(methods.items()):
        _, history = method.optimise(rgb.float(), count)
        ax = fig.add_subplot(1, len(methods), i + 1)
        for key in history[0]:
            ax.plot([h[key] for h in history], label=key)
        ax.set_title(f'{name}, N={count}')
        ax.set_xlabel('iteration')
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.savefig(out_file, dpi=100)


def score(labels, samples):
    """Per-image means over annotators of the metrics (+ BR at r = 2)."""
    per_image = []
    for sp, (_, image, gt) in zip(labels, samples):
        rows = [superpixel_metrics(sp, a, image) for a in gt]
        br_r2 = [superpixel_metrics(sp, a, image, tolerance=2)['br']
                 for a in gt]
        entry = {k: float(np.nanmean([r[k] for r in rows]))
                 for k in ('asa', 'br', 'bp', 'ue_np', 'co', 'ev')}
        entry.update(br_r2=float(np.mean(br_r2)),
                     n_superpixels=int(sp.max()) + 1)
        per_image.append(entry)
    return per_image


def row(count, per_image):
    out = dict(count=count, n_superpixels=float(
        np.mean([p['n_superpixels'] for p in per_image])))
    out.update({k: float(np.nanmean([p[k] for p in per_image]))
                for k in (*METRICS, 'co', 'ev')})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', default=osp.join(REPO, 'data/BSDS500'))
    parser.add_argument('--split', default='val')
    parser.add_argument('--limit', type=int, default=30)
    parser.add_argument('--counts', type=int, nargs='+',
                        default=[100, 200, 400, 800])
    parser.add_argument('--preset', choices=sorted(PRESETS), default='fast')
    parser.add_argument('--variants', nargs='+', choices=list(VARIANTS),
                        default=list(VARIANTS))
    parser.add_argument('--references', nargs='*', choices=REFERENCES,
                        default=list(REFERENCES))
    parser.add_argument('--compare-at', type=int, nargs='+',
                        default=[100, 200, 400, 800])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={}, help='overrides for every variant, e.g. '
                        'superpixel_method.num_iters=200 (use a new '
                        '--work-dir: cached labels are reused)')
    parser.add_argument('--loss-curves', action='store_true',
                        help="also plot each variant's loss terms on the "
                        'first image (one more optimisation per variant)')
    parser.add_argument('--work-dir', default=osp.join(
        REPO, 'work_dirs/unsupervised_superpixel_quality'))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    work_dir = osp.join(args.work_dir, args.preset)
    samples = list(bsds500_samples(args.data_root, args.split, args.limit))
    config = osp.join(ZOO, PRESETS[args.preset])
    rows, per_image, methods, first = {}, {}, {}, {}
    middle = sorted(args.counts)[len(args.counts) // 2]
    for name in args.variants:
        method = method_from_config(config, cfg_options={
            'superpixel_method.superpixels_per_segment': 1.0,  # equal N
            **args.cfg_options, **VARIANTS[name]})
        method.progress = False
        methods[name] = method
        print(f'== {name}: {method!r}', flush=True)
        per_image[name] = {}
        for count in args.counts:
            labels = cached_labels(method, name, samples, count, work_dir)
            per_image[name][count] = score(labels, samples)
            if count == middle:
                first[name] = labels[0]
        rows[name] = [row(c, per_image[name][c]) for c in args.counts]
    for name in args.references:
        print(f'== {name}', flush=True)
        method = build_superpixel_method(name)
        per_image[name] = {count: score(
            [method(image, count) for _, image, _ in samples], samples)
            for count in args.counts}
        first[name] = method(samples[0][1], middle)
        rows[name] = [row(c, per_image[name][c]) for c in args.counts]
    with open(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(dict(rows=rows, per_image=per_image,
                       preset=args.preset, images=len(samples)), f, indent=1)
    plot_benchmark_curves(rows, osp.join(work_dir, 'curves'))
    overlay_figure(samples, first, osp.join(work_dir, 'overlays.png'))
    if args.loss_curves and methods:
        loss_curves(methods, samples[0][1], middle,
                    osp.join(work_dir, 'loss_curves.png'))

    counts = np.array(args.compare_at, dtype=float)
    print(f'\nBSDS500 {args.split}, {len(samples)} images, all annotators, '
          f'preset {args.preset}; metrics at equal actual K')
    print('metric  method          ' + ''.join(f'{int(c):>8d}'
                                               for c in counts))
    for key in METRICS:
        for name, method_rows in rows.items():
            values = at_counts(method_rows, key, counts)
            print(f'{key.upper():6s}  {name:15s} ' +
                  ''.join(f'{v:8.4f}' for v in values))
    print('\nactual K per request: ' + '; '.join(
        f'{name} ' + ' '.join(f'{r["count"]}->{r["n_superpixels"]:.0f}'
                              for r in method_rows)
        for name, method_rows in rows.items()))
    if 'rim' in per_image:
        print('\npaired differences to RIM at equal N (mean over images, '
              '95% interval):')
        for name in args.variants:
            if name == 'rim':
                continue
            for key in ('asa', 'br', 'br_r2'):
                text = []
                for count in args.counts:
                    mean, half = interval([
                        a[key] - b[key] for a, b in zip(
                            per_image[name][count], per_image['rim'][count])
                    ])
                    text.append(f'N={count}: {mean:+.4f} +- {half:.4f}')
                print(f'  {name:15s} {key.upper():5s} ' + ', '.join(text))
    print(f'\nresults and curves: {work_dir}')


if __name__ == '__main__':
    main()
