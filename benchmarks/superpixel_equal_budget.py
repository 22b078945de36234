"""Learned superpixels at an equal training budget: SCN, AINet, CDS and
the SSN clustering head on SCN and AINet, trained on BSDS500 train with the
same recipe for the same iterations, scored at equal actual superpixel
counts next to OpenCV SLIC on BSDS500 val (in domain) and, with
``--datasets``, on domains none of them saw in training: VOC2012's label
maps and the embedded synthetic demo images (CDS's claim is this
cross-domain generalisation).

Each run is ``tools/train.py <config> --work-dir <work-root>/<name>/
iters<N> --cfg-options data_root=... train_cfg.max_iters=N ...`` (plus
``--cfg-options`` given here, for recipe probes); a run whose
``iter_<N>.pth`` exists is reused, and an unfinished one is resumed
(``--resume``), so a long budget can be trained over several sittings by
re-running the same command. Metrics are interpolated along each method's
own (actual count, metric) curve; the paired differences of ``--contrast``
to every other method interpolate each image's own curve and give the mean
over images with a 95% t-interval (one training seed: the spread is over
images, not over training runs). Curves are drawn per data set under the
results folder.

Example:
    python benchmarks/superpixel_equal_budget.py --iters 300 --limit 12 \
        --data-root data/BSDS500
    python benchmarks/superpixel_equal_budget.py --iters 300 --limit 12 \
        --models SCN+SSN --tag lr4e-4 \
        --cfg-options optim_wrapper.optimizer.lr=4e-4
    python benchmarks/superpixel_equal_budget.py --iters 300 --limit 12 \
        --models SCN+SSN --tag cosine --config \
        SCN+SSN=configs/ssn/ssn_scn_1xb16-warmup-cosine-4k_bsds500-208x208.py
    python benchmarks/superpixel_equal_budget.py --iters 4000 \
        --models SCN AINet CDS --datasets bsds500 voc demo \
        --voc-root data/VOC2012 --demo-root data/demo_voc/VOC2012
"""
import argparse
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import torch

from mmsuperpix.evaluation import (benchmark_method, bsds500_samples,
                                   voc_samples)
from mmsuperpix.superpixels import (LearnedSuperpixels,
                                    build_superpixel_method)
from mmsuperpix.visualization import plot_benchmark_curves
from superpixel_quality import at_counts, per_image_at_counts
from sweep_utils import REPO, SUPERPIXEL_RECIPES, interval

CONFIGS = {}
REFERENCE = 'opencv_slic'
#: The default data roots live here (links to the data, see the README).
DATA = osp.join(REPO, 'data')
#: Scored metrics, in table order (UE: the Neubert-Protzel undersegmentation
#: error, lower is better).
METRICS = ('asa', 'br', 'bp', 'ue_np', 'co')


def train(name: str, args) -> str:
    """Train (or resume, or reuse) one model; returns its checkpoint."""
    work_dir = osp.join(args.work_root, name + (f'_{args.tag}' if args.tag
                                                else ''), f'iters{args.iters}')
    checkpoint = osp.join(work_dir, f'iter_{args.iters}.pth')
    if osp.isfile(checkpoint):
        return checkpoint
    cmd = [sys.executable, osp.join(REPO, 'tools', 'train.py'),
           osp.join(REPO, CONFIGS[name]), '--work-dir', work_dir,
           '--cfg-options', f'data_root={args.data_root}',
           f'train_cfg.max_iters={args.iters}',
           f'train_cfg.val_interval={args.iters + 1}',
           f'default_hooks.checkpoint.interval={args.checkpoint_interval}',
           *args.cfg_options]
    if osp.isfile(osp.join(work_dir, 'last_checkpoint')):
        cmd.append('--resume')
    print(f'== training {name} for {args.iters} iterations in {work_dir}',
          flush=True)
    subprocess.run(cmd, check=True, cwd=REPO)
    return checkpoint


def parse_args() -> argparse.Namespace:
    """The command line, with --config and --contrast resolved."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=1000)
    parser.add_argument('--models', nargs='+',
                        choices=list(SUPERPIXEL_RECIPES['ainet']),
                        default=list(SUPERPIXEL_RECIPES['ainet']))
    parser.add_argument('--recipe', choices=sorted(SUPERPIXEL_RECIPES),
                        default='ainet',
                        help="every model's training recipe: AINet's "
                        "(Adam 8e-5, step decay) or the default model's "
                        '(cosine: Adam 4e-4, warm-up, cosine decay); runs '
                        'of the cosine recipe get the tag "cosine" unless '
                        '--tag is given')
    parser.add_argument('--data-root', default=osp.join(DATA, 'BSDS500'))
    parser.add_argument('--work-root', default=osp.join(
        REPO, 'work_dirs', 'superpixel_equal_budget'))
    parser.add_argument('--tag', help='suffix of the run folders (probes)')
    parser.add_argument('--config', action='append', default=[],
                        metavar='NAME=CONFIG',
                        help='train NAME from another config (a recipe '
                        'probe; give it a --tag)')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='extra training overrides, key=value')
    parser.add_argument('--checkpoint-interval', type=int, default=250,
                        help='checkpoints for resuming in chunks')
    parser.add_argument('--limit', type=int, default=None,
                        help='first N images of each scored data set '
                        '(default: all)')
    parser.add_argument('--counts', type=int, nargs='+',
                        default=[200, 400, 600, 800, 1000, 1200])
    parser.add_argument('--compare-at', type=int, nargs='+',
                        default=[200, 400, 600, 1000])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--datasets', nargs='+', default=['bsds500'],
                        choices=['bsds500', 'voc', 'demo'],
                        help='scored data sets: BSDS500 val (in domain), '
                        "VOC2012's label maps (--voc-root) and the demo "
                        "val images' label maps (--demo-root, from `make "
                        "demo-data`); --limit applies to each")
    parser.add_argument('--voc-root', default=osp.join(DATA, 'VOC2012'))
    parser.add_argument('--demo-root',
                        default=osp.join(DATA, 'demo_voc', 'VOC2012'))
    parser.add_argument('--train-only', action='store_true',
                        help='train (or resume) and stop: score later, '
                        'e.g. after training on a GPU machine whose OpenCV '
                        'lacks the SLIC reference')
    parser.add_argument('--contrast', default=None,
                        help='the method whose paired per-image '
                        'differences to the others are printed (default: '
                        'the last of --models)')
    args = parser.parse_args()
    args.contrast = args.contrast or args.models[-1]
    CONFIGS.update(SUPERPIXEL_RECIPES[args.recipe])
    if args.recipe != 'ainet' and args.tag is None:
        args.tag = args.recipe
    for item in args.config:
        name, sep, config = item.partition('=')
        if not sep or name not in CONFIGS or not osp.isfile(config):
            parser.error(f'--config {item!r}: expected NAME=CONFIG with NAME '
                         f'one of {sorted(CONFIGS)} and CONFIG an existing '
                         'file')
        CONFIGS[name] = osp.abspath(config)
    return args


def main():
    args = parse_args()
    checkpoints = {name: train(name, args) for name in args.models}
    if args.train_only:
        print('trained: ' + ', '.join(f'{name} {path}'
                                      for name, path in checkpoints.items()))
        return
    torch.set_num_threads(args.threads)
    methods = {REFERENCE: build_superpixel_method(REFERENCE)}
    methods.update({
        name: LearnedSuperpixels(osp.join(REPO, CONFIGS[name]), checkpoint)
        for name, checkpoint in checkpoints.items()})
    out_dir = osp.join(args.work_root, f'results_iters{args.iters}' + (
        f'_{args.tag}' if args.tag else ''))
    results = {}
    for dataset in args.datasets:
        title, samples = load_samples(dataset, args)
        rows = {}
        for name, method in methods.items():
            print(f'== scoring {name} on {title}', flush=True)
            rows[name] = benchmark_method(method, samples, args.counts,
                                          per_image=True)
        plot_benchmark_curves(rows, osp.join(out_dir, dataset))
        report(title, rows, args)
        results[dataset] = dict(n_images=len(samples), rows=rows)
    with open(osp.join(out_dir, 'results.json'), 'w') as f:
        json.dump(dict(iters=args.iters, cfg_options=args.cfg_options,
                       checkpoints=checkpoints, datasets=results), f)
    combine_curves(out_dir, args.datasets)
    print(f'results and curves: {out_dir}')


def combine_curves(out_dir: str, datasets, keys=('asa', 'br', 'ue')) -> str:
    """One picture of the curves: a row per metric, a column per data set
    (``<out_dir>/curves.jpg``, from the per-set PNGs)."""
    rows = []
    for key in keys:
        panels = [cv2.imread(osp.join(out_dir, d, f'{key}.png'))
                  for d in datasets]
        for dataset, panel in zip(datasets, panels):
            cv2.putText(panel, dataset, (10, 30), cv2.FONT_HERSHEY_SIMPLEX,
                        0.9, (0, 0, 0), 2)
        rows.append(cv2.hconcat(panels))
    path = osp.join(out_dir, 'curves.jpg')
    cv2.imwrite(path, cv2.vconcat(rows), [cv2.IMWRITE_JPEG_QUALITY, 85])
    return path


def load_samples(dataset: str, args):
    """``(title, samples)`` of one scored data set."""
    if dataset == 'bsds500':
        return 'BSDS500 val (in domain)', bsds500_samples(
            args.data_root, 'val', args.limit)
    if dataset == 'voc':
        return (f'VOC2012 ({args.voc_root}, unseen domain: label maps)',
                voc_samples(args.voc_root, limit=args.limit))
    return (f'demo val ({args.demo_root}, unseen domain: label maps)',
            voc_samples(args.demo_root, 'SegmentationClass',
                        limit=args.limit,
                        ann_file='ImageSets/Segmentation/val.txt'))


def report(title: str, rows: dict, args) -> None:
    """Print one data set's table at equal actual counts and the paired
    per-image differences of ``args.contrast`` to every other method."""
    counts = np.array(args.compare_at, dtype=float)
    print(f'\n{title}: {rows[REFERENCE][0]["n_images"]} images, '
          f'{args.iters} training iterations each, metrics at equal actual '
          'superpixel counts')
    print(f'{"metric":6s}  {"method":11s}' + ''.join(
        f'{int(c):>8d}' for c in counts))
    for key in METRICS:
        for name, method_rows in rows.items():
            values = ''.join(f'{v:8.4f}' for v in at_counts(
                method_rows, key, counts))
            print(f'{key.upper():6s}  {name:11s}{values}')
    ms = {name: np.median([r['ms_per_image'] for r in method_rows])
          for name, method_rows in rows.items()}
    print('median ms per image: ' + ', '.join(
        f'{name} {value:.0f} ({value / ms[REFERENCE]:.2f}x)'
        for name, value in ms.items()))
    if args.contrast not in rows:
        return
    print(f'paired per-image difference {args.contrast} - other, mean '
          '[95% t-interval] over the images reaching the count')
    for key in METRICS[:4]:
        mine = per_image_at_counts(rows[args.contrast], key, counts)
        for name in rows:
            if name == args.contrast:
                continue
            diff = mine - per_image_at_counts(rows[name], key, counts)
            cells = []
            for column in diff.T:
                column = column[np.isfinite(column)]
                mean, half = interval(column) if len(column) else (
                    np.nan, np.nan)
                cells.append(f'{mean:+.4f} [{mean - half:+.4f}, '
                             f'{mean + half:+.4f}] n={len(column)}')
            print(f'{key.upper():6s}  vs {name:11s} ' + '  '.join(cells))


if __name__ == '__main__':
    main()
