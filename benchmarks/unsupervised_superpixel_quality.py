"""Eliasof et al. vs RIM, with an ablation of each addition, next to OpenCV
SLIC and the shipped default model: BSDS500 val, all annotators.

Variants of the per-image optimiser (same N, iterations, seed and preset):

- ``eliasof``: the full method;
- ``no_soft_image``: without the soft superpixelated-image reconstruction;
- ``no_edge``: without the edge loss (eta = 0);
- ``no_laplacian``: without the Laplacian feature maps;
- ``no_aspp``: a plain body (the 1x1 head on the features, as RIM);
- ``rim``: all four switched off (RIM).

Labels are cached per (variant, count, image) under ``--work-dir``, so an
interrupted run continues where it stopped (re-run the same command).
Prints ASA / BR / BP / UE at equal *actual* counts (interpolated along each
method's curve), BR at tolerance r = 2 (the paper's) beside the toolkit's
default r, the actual counts reached per request, and paired per-image
differences to RIM at equal N (mean and 95% interval over images); writes
results.json and the K curves (PNG) to ``--work-dir``.

Example (the fast preset, 30 images, about 2 h on 2 CPU cores)::

    python benchmarks/unsupervised_superpixel_quality.py \\
        --data-root data/BSDS500 --limit 30 --counts 100 200 400 800
"""
import argparse
import json
import os
import os.path as osp
import time

import numpy as np
import torch
from scipy import stats

import mmsuperpix  # noqa: F401
from mmsuperpix.evaluation import bsds500_samples, superpixel_metrics
from mmsuperpix.superpixels import build_superpixel_method, method_from_config
from mmsuperpix.visualization import plot_benchmark_curves
from superpixel_quality import at_counts

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


def score(labels, samples):
    """Per-image means over annotators of the metrics (+ BR at r = 2)."""
    per_image = []
    for sp, (_, image, gt) in zip(labels, samples):
        rows = [superpixel_metrics(sp, a, image) for a in gt]
        br_r2 = [superpixel_metrics(sp, a, image, tolerance=2)['br']
                 for a in gt]
        entry = {k: float(np.mean([r[k] for r in rows]))
                 for k in ('asa', 'br', 'bp', 'ue_np')}
        entry.update(br_r2=float(np.mean(br_r2)),
                     n_superpixels=int(sp.max()) + 1)
        per_image.append(entry)
    return per_image


def row(count, per_image):
    out = dict(count=count, n_superpixels=float(
        np.mean([p['n_superpixels'] for p in per_image])))
    out.update({k: float(np.mean([p[k] for p in per_image]))
                for k in METRICS})
    return out


def paired(a, b):
    """Mean of a - b over images and its 95% t interval."""
    diff = np.asarray(a) - np.asarray(b)
    half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / \
        np.sqrt(len(diff)) if len(diff) > 1 else float('nan')
    return diff.mean(), half


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
    parser.add_argument('--work-dir', default=osp.join(
        REPO, 'work_dirs/unsupervised_superpixel_quality'))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    work_dir = osp.join(args.work_dir, args.preset)
    samples = list(bsds500_samples(args.data_root, args.split, args.limit))
    config = osp.join(ZOO, PRESETS[args.preset])
    rows, per_image = {}, {}
    for name in args.variants:
        method = method_from_config(config, cfg_options=VARIANTS[name])
        method.progress = False
        print(f'== {name}: {method!r}', flush=True)
        per_image[name] = {}
        for count in args.counts:
            labels = cached_labels(method, name, samples, count, work_dir)
            per_image[name][count] = score(labels, samples)
        rows[name] = [row(c, per_image[name][c]) for c in args.counts]
    for name in args.references:
        print(f'== {name}', flush=True)
        method = build_superpixel_method(name)
        per_image[name] = {count: score(
            [method(image, count) for _, image, _ in samples], samples)
            for count in args.counts}
        rows[name] = [row(c, per_image[name][c]) for c in args.counts]
    with open(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(dict(rows=rows, per_image=per_image,
                       preset=args.preset, images=len(samples)), f, indent=1)
    plot_benchmark_curves(rows, osp.join(work_dir, 'curves'))

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
                    mean, half = paired(
                        [p[key] for p in per_image[name][count]],
                        [p[key] for p in per_image['rim'][count]])
                    text.append(f'N={count}: {mean:+.4f} +- {half:.4f}')
                print(f'  {name:15s} {key.upper():5s} ' + ', '.join(text))
    print(f'\nresults and curves: {work_dir}')


if __name__ == '__main__':
    main()
