"""NeuralEF vs the k-means baseline on the demo data: the same frozen
backbone, never trained with the demo's labels (``--backbone scn``: the
shipped superpixel model's SCN encoder; ``dino``: a ViT-Tiny/8 pretrained
by DINO on the demo's train images without labels), the same K and the same
cluster-to-class matching, paired seeds; mean +- std and the paired
difference with a 95% t-interval.

Per seed ``k``: NeuralEF is trained with ``tools/train.py <demo config>
--cfg-options randomness.seed=k`` and tested with ``tools/test.py``;
k-means is fitted with ``tools/fit_kmeans_head.py --seed k`` (its k-means++
draws and token sample) and tested the same way. Finished runs are reused,
so the script can be re-run to fill in.

Example (about 10 min per seed on 2 idle CPU cores: 1,500 NeuralEF
iterations at ~0.3 s, then the tests)::

    python benchmarks/neuralef_demo_seeds.py --data-root data/demo_voc/VOC2012 \\
        --seeds 0 1 2
    python benchmarks/neuralef_demo_seeds.py --backbone dino

(``--backbone dino`` uses the shipped DINO export
``mmsuperpix/model_zoo/dino_vit-t8_demovoc.pth`` unless
``--cfg-options pretrained_backbone=...`` names another.)
"""
import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys

from sweep_utils import REPO, interval, test, train

CONFIGS = osp.join(REPO, 'configs', 'neuralef')
#: backbone -> (NeuralEF config, k-means config) on the same tokens
PAIRS = {
    'scn': ('neuralef_scn-encoder_1xb8-1500_demovoc-128x128.py',
            'kmeans_scn-encoder_demovoc-128x128.py'),
    'dino': ('neuralef_dino-vit-t8_1xb8-1500_demovoc-128x128.py',
             'kmeans_dino-vit-t8_demovoc-128x128.py'),
}
KEYS = ('mIoU', 'aAcc')


def neuralef_run(seed, args):
    work = osp.join(args.out_dir, 'neuralef', f'seed{seed}')
    options = [f'data_root={args.data_root}', f'randomness.seed={seed}',
               *args.cfg_options]
    checkpoint = osp.join(work, f'iter_{args.max_iters}.pth')
    config = osp.join(CONFIGS, PAIRS[args.backbone][0])
    if not osp.isfile(checkpoint):
        train(config, work, options + [f'max_iters={args.max_iters}'])
    return test(config, checkpoint, osp.join(work, 'test'), options)


def kmeans_run(seed, args):
    work = osp.join(args.out_dir, 'kmeans', f'seed{seed}')
    options = [f'data_root={args.data_root}', *args.cfg_options]
    checkpoint = osp.join(work, 'kmeans.pth')
    config = osp.join(CONFIGS, PAIRS[args.backbone][1])
    if not osp.isfile(checkpoint):
        subprocess.run([sys.executable, osp.join(REPO, 'tools',
                                                 'fit_kmeans_head.py'),
                        config, checkpoint, '--seed', str(seed),
                        '--cfg-options', *options], check=True, cwd=REPO,
                       stdout=subprocess.DEVNULL)
    return test(config, checkpoint, osp.join(work, 'test'), options)


def summary(values):
    spread = statistics.stdev(values) if len(values) > 1 else float('nan')
    return f'{statistics.mean(values):.2f} +- {spread:.2f}'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root',
                        default=osp.join(REPO, 'data', 'demo_voc', 'VOC2012'))
    parser.add_argument('--backbone', choices=sorted(PAIRS), default='scn')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--max-iters', type=int, default=1500)
    parser.add_argument('--cfg-options', nargs='*', default=[],
                        help='extra overrides for both methods')
    parser.add_argument('--out-dir', default=None,
                        help='default: work_dirs/neuralef_demo_seeds[_dino]')
    args = parser.parse_args()
    args.out_dir = args.out_dir or osp.join(
        REPO, 'work_dirs', 'neuralef_demo_seeds' + (
            '' if args.backbone == 'scn' else f'_{args.backbone}'))
    os.makedirs(args.out_dir, exist_ok=True)
    results = {'NeuralEF': {}, 'k-means': {}}
    for seed in args.seeds:
        results['k-means'][seed] = kmeans_run(seed, args)
        results['NeuralEF'][seed] = neuralef_run(seed, args)
        print(f'seed {seed}: ' + ', '.join(
            f'{name} mIoU {runs[seed]["mIoU"]:.2f}'
            for name, runs in results.items()), flush=True)
    with open(osp.join(args.out_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    print(f'\ndemo val, {args.backbone} backbone, {len(args.seeds)} paired '
          f'seeds {args.seeds}, K 32, majority matching')
    for key in KEYS:
        ours = [results['NeuralEF'][s][key] for s in args.seeds]
        base = [results['k-means'][s][key] for s in args.seeds]
        mean, half = interval([a - b for a, b in zip(ours, base)])
        print(f'{key}: NeuralEF {summary(ours)}, k-means {summary(base)}, '
              f'paired difference {mean:+.2f} [{mean - half:+.2f}, '
              f'{mean + half:+.2f}] (95% t)')


if __name__ == '__main__':
    main()
