"""Superpixel quality on BSDS500 val: learned models next to the SLICs, at
equal *actual* superpixel counts, with the issue's targets checked.

Runs every method at several nominal counts, interpolates each metric
linearly along the method's own (actual count, metric) curve at common
actual counts, and prints the side-by-side table plus pass/fail lines for
"AINet above OpenCV SLIC and scikit-image SLIC in ASA and BR at every count"
and "AINet above SCN". Also writes results.json and curves to --out-dir.

Example:
    python benchmarks/superpixel_quality.py \
        --ainet default --scn work_dirs/scn_1xb16-4k_bsds500-208x208/iter_4000.pth
"""
import argparse
import json
import os
import os.path as osp

import cv2
import numpy as np
import torch

from mmsuperpix.evaluation import benchmark_method, bsds500_samples
from mmsuperpix.superpixels import (LearnedSuperpixels,
                                    build_superpixel_method)
from mmsuperpix.visualization import (draw_superpixel_boundaries,
                                      plot_benchmark_curves)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(
    AINet=osp.join(REPO, 'configs/ainet/ainet_1xb16-4k_bsds500-208x208.py'),
    SCN=osp.join(REPO, 'configs/scn/scn_1xb16-4k_bsds500-208x208.py'))


def at_counts(rows, key, counts):
    """Metric ``key`` interpolated at actual superpixel ``counts`` (NaN
    outside the range the method reached)."""
    xs = np.array([r['n_superpixels'] for r in rows])
    ys = np.array([r[key] for r in rows])
    order = np.argsort(xs)
    return np.interp(counts, xs[order], ys[order], left=np.nan,
                     right=np.nan)


def comparison_figure(samples, ainet_fn, out_file, index=5, n=400):
    """AINet next to OpenCV SLIC on one image at (nearly) equal actual
    counts: SLIC's target is searched to match AINet's actual count."""
    name, image, _ = samples[min(index, len(samples) - 1)]
    ainet = ainet_fn(image, n)
    count = len(np.unique(ainet))
    opencv_slic = build_superpixel_method('opencv_slic')
    slic = min((opencv_slic(image, t)
                for t in range(int(count * 0.8), int(count * 1.3), 10)),
               key=lambda lbl: abs(len(np.unique(lbl)) - count))
    panels = []
    for title, labels in (('AINet (shipped)', ainet), ('OpenCV SLIC', slic)):
        panel = draw_superpixel_boundaries(image, labels)
        text = f'{title}: {len(np.unique(labels))} superpixels'
        cv2.rectangle(panel, (0, 0), (12 * len(text) + 10, 32), (0, 0, 0),
                      -1)
        cv2.putText(panel, text, (6, 23), cv2.FONT_HERSHEY_SIMPLEX, 0.7,
                    (255, 255, 255), 2)
        panels.append(panel)
    cv2.imwrite(out_file, np.concatenate(panels, 1))
    return name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data-root', default=osp.join(REPO, 'data/BSDS500'))
    parser.add_argument('--split', default='val')
    parser.add_argument('--ainet', default='default',
                        help="'default' (shipped weights) or a checkpoint")
    parser.add_argument('--scn', default=None, help='SCN checkpoint')
    parser.add_argument('--counts', type=int, nargs='+',
                        default=[150, 200, 400, 600, 800, 1000, 1200, 1400])
    parser.add_argument('--compare-at', type=int, nargs='+',
                        default=[200, 400, 600, 800, 1000, 1200])
    parser.add_argument('--limit', type=int, default=None)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--out-dir',
                        default=osp.join(REPO, 'work_dirs/superpixel_quality'))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    samples = bsds500_samples(args.data_root, args.split, args.limit)
    methods = {}
    methods['AINet'] = LearnedSuperpixels(
        None if args.ainet == 'default' else CONFIGS['AINet'],
        None if args.ainet == 'default' else args.ainet)
    if args.scn:
        methods['SCN'] = LearnedSuperpixels(CONFIGS['SCN'], args.scn)
    for name in ('opencv_slic', 'skimage_slic'):
        methods[name] = build_superpixel_method(name)
    rows = {}
    for name, fn in methods.items():
        print(f'== {name}')
        rows[name] = benchmark_method(fn, samples, args.counts)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(osp.join(args.out_dir, 'results.json'), 'w') as f:
        json.dump(rows, f, indent=1)
    plot_benchmark_curves(rows, args.out_dir)

    counts = np.array(args.compare_at, dtype=float)
    table = {(m, k): at_counts(r, k, counts) for m, r in rows.items()
             for k in ('asa', 'br', 'bp', 'co')}
    print(f'\nBSDS500 {args.split} ({len(samples)} images, all annotators), '
          'metrics at equal actual superpixel counts')
    header = 'metric  method        ' + ''.join(f'{int(c):>8d}' for c in
                                                 counts)
    print(header)
    for key in ('asa', 'br', 'bp', 'co'):
        for name in rows:
            values = ''.join(f'{v:8.4f}' for v in table[(name, key)])
            print(f'{key.upper():6s}  {name:13s} {values}')
    print('\ntargets (AINet strictly above, at every count both curves '
          'reach):')
    rivals = [m for m in ('opencv_slic', 'skimage_slic', 'SCN') if m in rows]
    for rival in rivals:
        for key in ('asa', 'br'):
            diff = table[('AINet', key)] - table[(rival, key)]
            diff = diff[~np.isnan(diff)]
            if diff.size == 0:
                print(f'  {key.upper():3s} AINet > {rival:13s}: no common '
                      'count')
                continue
            print(f'  {key.upper():3s} AINet > {rival:13s}: '
                  f'{"PASS" if np.all(diff > 0) else "FAIL"} (smallest '
                  f'margin {diff.min():+.4f} over {diff.size} counts)')
    figure = osp.join(args.out_dir, 'ainet_vs_slic.png')
    name = comparison_figure(samples, methods['AINet'], figure)
    print(f'\nresults and curves: {args.out_dir} (picture: {figure}, {name})')


if __name__ == '__main__':
    main()
