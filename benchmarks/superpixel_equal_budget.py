"""Learned superpixels at an equal training budget: SCN, AINet and the
SSN clustering head on each, trained with the same recipe for the same
iterations, scored on BSDS500 val at equal actual superpixel counts next
to OpenCV SLIC.

Each run is ``tools/train.py <config> --work-dir <work-root>/<name>/
iters<N> --cfg-options data_root=... train_cfg.max_iters=N ...`` (plus
``--cfg-options`` given here, for recipe probes); a run whose
``iter_<N>.pth`` exists is reused, and an unfinished one is resumed
(``--resume``), so a long budget can be trained over several sittings by
re-running the same command. Metrics are interpolated along each method's
own (actual count, metric) curve.

Example:
    python benchmarks/superpixel_equal_budget.py --iters 300 --limit 12 \
        --data-root data/BSDS500
    python benchmarks/superpixel_equal_budget.py --iters 300 --limit 12 \
        --models SCN+SSN --tag lr4e-4 \
        --cfg-options optim_wrapper.optimizer.lr=4e-4
    python benchmarks/superpixel_equal_budget.py --iters 300 --limit 12 \
        --models SCN+SSN --tag cosine --config \
        SCN+SSN=configs/ssn/ssn_scn_1xb16-warmup-cosine-4k_bsds500-208x208.py
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import torch

from mmsuperpix.evaluation import benchmark_method, bsds500_samples
from mmsuperpix.superpixels import (LearnedSuperpixels,
                                    build_superpixel_method)
from superpixel_quality import at_counts
from sweep_utils import REPO, SUPERPIXEL_RECIPES

CONFIGS = {}
REFERENCE = 'opencv_slic'


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


def main():
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
    parser.add_argument('--data-root', default=osp.join(REPO, 'data',
                                                        'BSDS500'))
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
                        help='first N val images (default: all 100)')
    parser.add_argument('--counts', type=int, nargs='+',
                        default=[200, 400, 600, 800, 1000, 1200])
    parser.add_argument('--compare-at', type=int, nargs='+',
                        default=[200, 400, 600, 1000])
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
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
    checkpoints = {name: train(name, args) for name in args.models}
    torch.set_num_threads(args.threads)
    samples = bsds500_samples(args.data_root, 'val', args.limit)
    methods = {REFERENCE: build_superpixel_method(REFERENCE)}
    methods.update({
        name: LearnedSuperpixels(osp.join(REPO, CONFIGS[name]), checkpoint)
        for name, checkpoint in checkpoints.items()})
    rows = {}
    for name, method in methods.items():
        print(f'== scoring {name}', flush=True)
        rows[name] = benchmark_method(method, samples, args.counts)
    counts = np.array(args.compare_at, dtype=float)
    out_dir = osp.join(args.work_root, f'results_iters{args.iters}' + (
        f'_{args.tag}' if args.tag else ''))
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'results.json'), 'w') as f:
        json.dump(dict(iters=args.iters, cfg_options=args.cfg_options,
                       n_images=len(samples), rows=rows), f, indent=1)
    print(f'\nBSDS500 val ({len(samples)} images), {args.iters} training '
          'iterations each, metrics at equal actual superpixel counts')
    print(f'{"metric":6s}  {"method":11s}' + ''.join(
        f'{int(c):>8d}' for c in counts))
    for key in ('asa', 'br', 'bp', 'co'):
        for name, method_rows in rows.items():
            values = ''.join(f'{v:8.4f}' for v in at_counts(
                method_rows, key, counts))
            print(f'{key.upper():6s}  {name:11s}{values}')
    ms = {name: np.median([r['ms_per_image'] for r in method_rows])
          for name, method_rows in rows.items()}
    print('median ms per image: ' + ', '.join(
        f'{name} {value:.0f} ({value / ms[REFERENCE]:.2f}x)'
        for name, value in ms.items()))
    print(f'results: {out_dir}')


if __name__ == '__main__':
    main()
