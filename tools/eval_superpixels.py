"""Benchmark classic and learned superpixels on BSDS500 or NYUv2.

Scores each method at each target count on every (image, annotation) pair
with Stutz et al.'s metrics and writes ``results.json``, ``results.csv``,
metric-vs-count curves (``asa.png``, ``br.png``, ... ``br_bp.png``) and one
boundary overlay per method (``overlay_<method>.png``: the first image at
the middle count) to ``--out-dir``, then prints a table.

Examples:
    python tools/eval_superpixels.py --dataset bsds500 \\
        --data-root data/BSDS500 --split val --limit 5 \\
        --methods opencv_slic skimage_slic --counts 200 600 1000
    python tools/eval_superpixels.py --methods opencv_slico default \\
        scn=configs/scn/scn_1xb16-4k_bsds500-208x208.py:work_dirs/scn/last.pth
"""
import argparse
import csv
import json
import math
import os
import os.path as osp
import re
import sys

import cv2
import torch

from mmsuperpix.evaluation import (ROW_KEYS, benchmark_method,
                                   bsds500_samples, nyuv2_samples)
from mmsuperpix.superpixels import (CLASSIC_METHODS, DEFAULT_METHOD,
                                    METHOD_NAMES, PER_IMAGE_METHODS,
                                    LearnedSuperpixels,
                                    build_superpixel_method,
                                    method_from_config)

#: The methods run when --methods is not given: every named one except
#: the per-image optimisers (minutes to hours per image on a CPU).
DEFAULT_METHODS = [n for n in METHOD_NAMES if n not in PER_IMAGE_METHODS]
from mmsuperpix.utils import add_unsafe_checkpoint_argument
from mmsuperpix.visualization import (draw_superpixel_boundaries,
                                      plot_benchmark_curves)

DEFAULT_ROOTS = dict(bsds500='data/BSDS500', nyuv2='data/NYUV2')
DEFAULT_SPLITS = dict(bsds500='val', nyuv2='test')
#: (row key, table header, column width, format spec) of the printed table.
TABLE = (('count', 'count', 6, 'd'), ('n_superpixels', 'K', 7, '.1f'),
         ('asa', 'ASA', 7, '.4f'), ('br', 'BR', 7, '.4f'),
         ('bp', 'BP', 7, '.4f'), ('ue_np', 'UE', 7, '.4f'),
         ('ue_levin', 'UE_L', 7, '.3f'), ('co', 'CO', 7, '.4f'),
         ('ev', 'EV', 7, '.4f'), ('ms_per_image', 'ms', 8, '.1f'))

def parse_args():
    parser = argparse.ArgumentParser(
        description='Benchmark superpixel methods (ASA, BR, BP, UE, CO, EV '
        'vs number of superpixels)')
    parser.add_argument('--dataset', choices=sorted(DEFAULT_ROOTS),
                        default='bsds500')
    parser.add_argument('--data-root', help='data folder (default: '
                        'data/BSDS500 or data/NYUV2)')
    parser.add_argument('--split', help='split (default: val for bsds500, '
                        'test for nyuv2)')
    parser.add_argument('--ann-file', help='nyuv2 only: index list such as '
                        'nyuv2_test_subset.txt (default: every image)')
    parser.add_argument(
        '--methods', nargs='+', default=DEFAULT_METHODS,
        metavar='METHOD',
        help=f'superpixel methods: names from {list(METHOD_NAMES)} '
        '("default" is the shipped learned model) or configs as '
        'NAME=CONFIG[:CHECKPOINT]: a trained model (CONFIG "default" is the '
        "shipped model's config; without CHECKPOINT the weights are "
        'random) or a superpixel_method config such as '
        'mmsuperpix/model_zoo/eliasof_icip2022.py. '
        'Default: every named method but the per-image optimisers')
    parser.add_argument('--counts', nargs='+', type=int,
                        default=[200, 400, 600, 800, 1000, 1200])
    parser.add_argument('--limit', type=int, help='first N images only')
    parser.add_argument('--tolerance', type=int, help='boundary tolerance '
                        'in pixels (default: 0.0025 * image diagonal)')
    parser.add_argument('--out-dir', help='default: '
                        'work_dirs/eval_superpixels/<dataset>_<split>')
    parser.add_argument('--threads', type=int, default=2,
                        help='torch and OpenCV threads (default: 2)')
    parser.add_argument('--device', default='cpu',
                        help='for the learned models')
    add_unsafe_checkpoint_argument(parser, 'the --methods checkpoints')
    return parser.parse_args()


def check_args(args):
    """Fill defaults and reject bad values with one clear line."""
    args.data_root = args.data_root or DEFAULT_ROOTS[args.dataset]
    args.split = args.split or DEFAULT_SPLITS[args.dataset]
    args.out_dir = args.out_dir or osp.join(
        'work_dirs', 'eval_superpixels', f'{args.dataset}_{args.split}')
    if any(c < 1 for c in args.counts):
        raise ValueError(f'--counts must be positive, got {args.counts}')
    for name, value, low in (('--limit', args.limit, 1),
                             ('--tolerance', args.tolerance, 0),
                             ('--threads', args.threads, 1)):
        if value is not None and value < low:
            raise ValueError(f'{name} must be >= {low}, got {value}')
    if args.ann_file and args.dataset != 'nyuv2':
        raise ValueError('--ann-file only applies to --dataset nyuv2')
    args.method_specs = [parse_method(spec) for spec in args.methods]
    names = [name for name, *_ in args.method_specs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f'method names {repeated} are used twice; give '
                         'each NAME=CONFIG[:CHECKPOINT] entry its own NAME')


def parse_method(spec):
    """A method name or ``NAME=CONFIG[:CHECKPOINT]`` -> (name, model),
    model being None for a named method, else ``(config, checkpoint)``
    (config None: the shipped model's config)."""
    if '=' not in spec:
        if spec not in METHOD_NAMES:
            raise ValueError(
                f'unknown --methods entry {spec!r}; use one of '
                f'{list(METHOD_NAMES)} or NAME=CONFIG[:CHECKPOINT] for a '
                'trained model')
        return spec, (None, None) if spec == DEFAULT_METHOD else None
    name, config, checkpoint = parse_model(spec)
    return name, (config, checkpoint)


def parse_model(spec):
    """``NAME=CONFIG[:CHECKPOINT]`` -> (name, config or None, checkpoint)."""
    name, sep, rest = spec.partition('=')
    if not sep or not rest or not re.fullmatch(r'[A-Za-z0-9_.-]+', name):
        raise ValueError(
            f'--methods entry {spec!r} must be NAME=CONFIG[:CHECKPOINT] with '
            'NAME made of letters, digits, _ . - (e.g. ainet=default or '
            'scn=configs/scn/x.py:work_dirs/scn/iter_4000.pth)')
    config, _, checkpoint = rest.partition(':')
    config = None if config == 'default' else config
    if config is not None and not osp.isfile(config):
        raise FileNotFoundError(f'--methods {name}: config {config!r} does '
                                'not exist')
    if checkpoint and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'--methods {name}: checkpoint '
                                f'{checkpoint!r} does not exist')
    return name, config, checkpoint or None


def build_methods(args):
    """Ordered ``name -> (method, description)``, weights loaded."""
    methods = {}
    for name, model in args.method_specs:
        if model is None:  # a classic algorithm or a shipped model's name
            kind = 'classic' if name in CLASSIC_METHODS else \
                'per-image' if name in PER_IMAGE_METHODS else 'learned'
            methods[name] = (build_superpixel_method(name),
                             dict(kind=kind, algorithm=name))
            continue
        config, checkpoint = model
        options = dict(device=args.device,
                       allow_unsafe_checkpoint=args.allow_unsafe_checkpoint)
        method = (LearnedSuperpixels(None, checkpoint, **options)
                  if config is None else method_from_config(
                      config, checkpoint, **options)).load()
        kind = 'learned' if isinstance(method, LearnedSuperpixels) else \
            'per-image'
        methods[name] = (method, dict(
            kind=kind, config=config or 'default',
            checkpoint=checkpoint or (None if config else 'default')))
    return methods


def _plain(value):
    """JSON-safe: NaN -> None."""
    return None if isinstance(value, float) and math.isnan(value) else value


def write_results(out_dir, meta, rows):
    with open(osp.join(out_dir, 'results.json'), 'w') as f:
        json.dump(dict(meta, rows=[{k: _plain(v) for k, v in r.items()}
                                   for r in rows]), f, indent=1)
    with open(osp.join(out_dir, 'results.csv'), 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=['method', *ROW_KEYS])
        writer.writeheader()
        writer.writerows(rows)


def format_table(rows):
    """The rows as a fixed-width text table, one line per method x count."""
    width = max(len('method'), *(len(r['method']) for r in rows))
    lines = [f'{"method":<{width}}' + ''.join(
        f' {head:>{w}}' for _, head, w, _ in TABLE)]
    for row in rows:
        lines.append(f'{row["method"]:<{width}}' + ''.join(
            f' {row[key]:>{w}{spec}}' for key, _, w, spec in TABLE))
    return '\n'.join(lines)

def main():
    args = parse_args()
    try:
        check_args(args)
        torch.set_num_threads(args.threads)
        cv2.setNumThreads(args.threads)
        if args.dataset == 'bsds500':
            samples = bsds500_samples(args.data_root, args.split, args.limit)
        else:
            samples = nyuv2_samples(args.data_root, args.split,
                                    args.ann_file, args.limit)
        if len(samples) == 0:
            raise ValueError(f'no images in {args.data_root!r} '
                             f'({args.split})')
        methods = build_methods(args)
    except (FileNotFoundError, ValueError, TypeError, ImportError) as e:
        sys.exit(f'error: {e}')
    os.makedirs(args.out_dir, exist_ok=True)
    counts = list(args.counts)
    middle = sorted(counts)[len(counts) // 2]
    first_name, first_image, _ = samples[0]
    rows, rows_by_method = [], {}
    for i, (name, (segment_fn, _)) in enumerate(methods.items()):
        print(f'[{i + 1}/{len(methods)}] {name}: {len(samples)} images x '
              f'{len(counts)} counts', flush=True)
        # Warm-up run (lazy inits, caches), kept for the overlay.
        labels = segment_fn(first_image, middle)
        overlay = draw_superpixel_boundaries(first_image, labels)
        cv2.imwrite(osp.join(args.out_dir, f'overlay_{name}.png'), overlay)
        method_rows = benchmark_method(segment_fn, samples, counts,
                                       args.tolerance, progress=True)
        rows_by_method[name] = method_rows
        rows.extend(dict(method=name, **r) for r in method_rows)
    meta = dict(dataset=args.dataset, data_root=args.data_root,
                split=args.split, n_images=len(samples), counts=counts,
                tolerance=args.tolerance, overlay_image=first_name,
                overlay_count=middle,
                methods={k: v[1] for k, v in methods.items()})
    write_results(args.out_dir, meta, rows)
    plot_benchmark_curves(rows_by_method, args.out_dir)
    print(f'\n{args.dataset} {args.split}: {len(samples)} images, '
          f'{rows[0]["n_pairs"]} (image, annotation) pairs; K = actual '
          'mean superpixel count, ms = run time per image')
    print(format_table(rows))
    print(f'\nresults, curves and overlays in {args.out_dir}')


if __name__ == '__main__':
    main()
