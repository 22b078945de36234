"""Superpixel quality on BSDS500 val (or any VOC-layout set of label
maps, --dataset voc): the shipped default model next to
every classic method the project ships, at equal *actual* superpixel
counts, with the targets checked.

Runs every method at several nominal counts, interpolates each metric
linearly along the method's own (actual count, metric) curve at common
actual counts, and prints the side-by-side table plus pass/fail lines for
"the candidate (default: the shipped default model) strictly above every
classic method in ASA and BR at every common count, with BP no worse than
OpenCV SLIC's". Also writes results.json, curves and a comparison picture
to --out-dir.

Example:
    python benchmarks/superpixel_quality.py --data-root data/BSDS500
    python benchmarks/superpixel_quality.py --dataset voc \
        --data-root data/VOC2012 --counts 100 200 400 600 800 1200
    python benchmarks/superpixel_quality.py --methods default ainet \
        opencv_slic --model scn=configs/scn/x.py:work_dirs/scn/iter_4000.pth
"""
import argparse
import json
import multiprocessing
import os
import os.path as osp

import cv2
import numpy as np
import torch

from mmsuperpix.evaluation import (benchmark_method, bsds500_samples,
                                   voc_samples)
from mmsuperpix.superpixels import (CLASSIC_METHODS, METHOD_NAMES,
                                    build_superpixel_method,
                                    method_from_config)
from mmsuperpix.visualization import (draw_superpixel_boundaries,
                                      plot_benchmark_curves)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: Started first with --jobs, so that the workers finish together.
SLOWEST = ('skimage_felzenszwalb', 'opencv_lsc')


def at_counts(rows, key, counts):
    """Metric ``key`` interpolated at actual superpixel ``counts`` (NaN
    outside the range the method reached)."""
    xs = np.array([r['n_superpixels'] for r in rows])
    ys = np.array([r[key] for r in rows])
    order = np.argsort(xs)
    return np.interp(counts, xs[order], ys[order], left=np.nan,
                     right=np.nan)


def per_image_at_counts(rows, key, counts):
    """``(n_images, len(counts))`` metric ``key`` of each image interpolated
    along that image's own (actual count, metric) curve (rows of
    ``benchmark_method(..., per_image=True)``; NaN outside its range)."""
    xs = np.array([r['per_image']['n_superpixels'] for r in rows], float).T
    ys = np.array([r['per_image'][key] for r in rows], float).T
    return np.stack([at_counts([dict(n_superpixels=x, v=y)
                                for x, y in zip(x_img, y_img)], 'v', counts)
                     for x_img, y_img in zip(xs, ys)])


def comparison_figure(samples, title, method, out_file, index=5, n=400):
    """``method`` next to OpenCV SLIC on one image at (nearly) equal actual
    counts: SLIC's target is searched to match the method's actual count."""
    name, image, _ = samples[min(index, len(samples) - 1)]
    labels = method(image, n)
    count = len(np.unique(labels))
    opencv_slic = build_superpixel_method('opencv_slic')
    slic = min((opencv_slic(image, t)
                for t in range(int(count * 0.8), int(count * 1.3), 10)),
               key=lambda lbl: abs(len(np.unique(lbl)) - count))
    panels = []
    for caption, shown in ((title, labels), ('OpenCV SLIC', slic)):
        panel = draw_superpixel_boundaries(image, shown)
        text = f'{caption}: {len(np.unique(shown))} superpixels'
        cv2.rectangle(panel, (0, 0), (12 * len(text) + 10, 32), (0, 0, 0),
                      -1)
        cv2.putText(panel, text, (6, 23), cv2.FONT_HERSHEY_SIMPLEX, 0.7,
                    (255, 255, 255), 2)
        panels.append(panel)
    cv2.imwrite(out_file, np.concatenate(panels, 1))
    return name


def parse_model(spec):
    """``NAME=CONFIG[:CHECKPOINT]`` -> (name, method): a trained network
    or a ``superpixel_method`` config (a per-image optimiser)."""
    name, sep, rest = spec.partition('=')
    config, _, checkpoint = rest.partition(':')
    if not sep or not osp.isfile(config) or (checkpoint and
                                             not osp.isfile(checkpoint)):
        raise SystemExit(f'--model {spec!r}: expected NAME=CONFIG[:CKPT] '
                         'with existing files')
    return name, method_from_config(config, checkpoint or None)


def build_method(spec):
    """A ``--methods`` name or a ``--model`` spec -> (name, method)."""
    return parse_model(spec) if '=' in spec else (
        spec, build_superpixel_method(spec))


def load_samples(dataset, data_root, split, limit):
    """BSDS500 (``split``, all annotators) or a VOC-layout set of label
    maps (each class region a segment; ``split`` names the label folder)."""
    if dataset == 'voc':
        return voc_samples(data_root, split, limit=limit)
    return bsds500_samples(data_root, split, limit)


def score(job):
    """One method's rows (run in a worker with ``--jobs``)."""
    spec, dataset, data_root, split, limit, counts, threads = job
    torch.set_num_threads(threads)
    cv2.setNumThreads(threads)
    name, method = build_method(spec)
    samples = load_samples(dataset, data_root, split, limit)
    print(f'== {name}', flush=True)
    return name, benchmark_method(method, samples, counts, progress=False)


def load_reused(path, names, args):
    """Rows of ``names`` from an earlier ``results.json``, checked against
    this run's counts and image count."""
    with open(path) as f:
        earlier = json.load(f)
    n_images = len(load_samples(args.dataset, args.data_root, args.split,
                                args.limit))
    reused = {}
    for name in names:
        if name not in earlier:
            continue
        rows = earlier[name]
        if [r['count'] for r in rows] != list(args.counts) or any(
                r['n_images'] != n_images for r in rows):
            raise SystemExit(
                f'--reuse {path}: the rows of {name!r} were scored at '
                f'counts {[r["count"] for r in rows]} on '
                f'{rows[0]["n_images"]} images, this run uses '
                f'{list(args.counts)} on {n_images}; give the same '
                '--counts, --split and --limit')
        reused[name] = rows
    print(f'reused from {path}: {", ".join(reused) or "nothing"}')
    return reused


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data-root', default=osp.join(REPO, 'data/BSDS500'))
    parser.add_argument('--dataset', choices=('bsds500', 'voc'),
                        default='bsds500',
                        help='voc: JPEGImages/ + SegmentationClassAug/ '
                        'label maps under --data-root')
    parser.add_argument('--split', default=None,
                        help="BSDS500's split (default val), or the label "
                        'folder with --dataset voc (default '
                        'SegmentationClassAug)')
    parser.add_argument('--methods', nargs='+', choices=METHOD_NAMES,
                        default=['default', *CLASSIC_METHODS],
                        help='methods by name; the first is the candidate')
    parser.add_argument('--model', action='append', default=[],
                        metavar='NAME=CONFIG[:CKPT]',
                        help='also a trained model or a superpixel_method '
                        'config (after --methods)')
    parser.add_argument('--counts', type=int, nargs='+',
                        default=[100, 150, 200, 300, 400, 600, 800, 1000,
                                 1200, 1400])
    parser.add_argument('--compare-at', type=int, nargs='+',
                        default=[200, 400, 600, 800, 1000, 1200])
    parser.add_argument('--limit', type=int, default=None)
    parser.add_argument('--threads', type=int, default=2,
                        help='threads per method (per worker with --jobs)')
    parser.add_argument('--jobs', type=int, default=1,
                        help='score this many methods at once, one process '
                        'each (e.g. --jobs 2 --threads 1 on 2 cores); the '
                        'timings then come from a shared machine')
    parser.add_argument('--out-dir',
                        default=osp.join(REPO, 'work_dirs/superpixel_quality'))
    parser.add_argument('--reuse', metavar='RESULTS_JSON',
                        help="an earlier run's results.json: the --methods "
                        'in it (but the candidate) are not scored again. '
                        'Rows depend only on the code and the data: reuse '
                        'a run of the same split, images and counts')
    args = parser.parse_args()
    args.split = args.split or ('val' if args.dataset == 'bsds500' else
                                'SegmentationClassAug')
    specs = [*args.methods, *args.model]
    reused = load_reused(args.reuse, specs[1:], args) if args.reuse else {}
    jobs = [(spec, args.dataset, args.data_root, args.split, args.limit,
             args.counts, args.threads) for spec in specs
            if spec not in reused]
    if args.jobs > 1:
        slow_first = sorted(jobs, key=lambda job: job[0] not in SLOWEST)
        with multiprocessing.get_context('spawn').Pool(args.jobs) as pool:
            done = dict(pool.imap_unordered(score, slow_first))
    else:
        done = dict(score(job) for job in jobs)
    done.update(reused)
    rows = {spec.partition('=')[0]: done[spec.partition('=')[0]]
            for spec in specs}
    samples = load_samples(args.dataset, args.data_root, args.split,
                           args.limit)
    candidate = next(iter(rows))
    os.makedirs(args.out_dir, exist_ok=True)
    with open(osp.join(args.out_dir, 'results.json'), 'w') as f:
        json.dump(rows, f, indent=1)
    plot_benchmark_curves(rows, args.out_dir)

    counts = np.array(args.compare_at, dtype=float)
    table = {(m, k): at_counts(r, k, counts) for m, r in rows.items()
             for k in ('asa', 'br', 'bp', 'co')}
    source = f'BSDS500 {args.split}' if args.dataset == 'bsds500' else \
        f'{osp.join(args.data_root, args.split)} (label maps)'
    print(f'\n{source} ({len(samples)} images, all annotators), '
          'metrics at equal actual superpixel counts')
    print('metric  method                ' + ''.join(
        f'{int(c):>8d}' for c in counts))
    for key in ('asa', 'br', 'bp', 'co'):
        for name in rows:
            values = ''.join(f'{v:8.4f}' for v in table[(name, key)])
            print(f'{key.upper():6s}  {name:21s} {values}')
    ms = {name: np.median([r['ms_per_image'] for r in method_rows])
          for name, method_rows in rows.items()}
    print('median ms per image: ' + ', '.join(
        f'{name} {value:.0f}' for name, value in ms.items()))
    print(f'\ntargets ({candidate} strictly above, at every count both '
          'curves reach):')
    checks = [(rival, key, '>') for rival in rows if rival in CLASSIC_METHODS
              for key in ('asa', 'br')]
    if 'opencv_slic' in rows:
        checks.append(('opencv_slic', 'bp', '>='))
    for rival, key, op in checks:
        if rival == candidate:
            continue
        diff = table[(candidate, key)] - table[(rival, key)]
        diff = diff[~np.isnan(diff)]
        label = f'{key.upper():3s} {candidate} {op} {rival:21s}'
        if diff.size == 0:
            print(f'  {label}: no common count')
            continue
        met = np.all(diff > 0) if op == '>' else np.all(diff >= 0)
        print(f'  {label}: {"PASS" if met else "FAIL"} (smallest margin '
              f'{diff.min():+.4f} over {diff.size} counts)')
    figure = osp.join(args.out_dir, f'{candidate}_vs_slic.png')
    name = comparison_figure(samples, candidate, build_method(specs[0])[1],
                             figure)
    print(f'\nresults and curves: {args.out_dir} (picture: {figure}, {name})')


if __name__ == '__main__':
    main()
