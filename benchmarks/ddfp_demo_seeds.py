"""Supervised-only vs mean teacher vs UniMatch-style dropout vs DDFP on the
demo data: the same budget, several seeds, mIoU mean +- std.

Each run is `tools/train.py <config> --cfg-options randomness.seed=<k>
labeled_split=<n>` into `<out-dir>/<method>/seed<k>`; the score is the final
validation mIoU (the teacher's for the semi-supervised methods, as DDFP
reports). Finished runs are reused, so the script can be re-run to fill in.

Example:
    python benchmarks/ddfp_demo_seeds.py --seeds 0 1 2 --labeled-split 50
"""
import argparse
import json
import os.path as osp
import statistics

from sweep_utils import REPO, final_metric, train

DEMO = osp.join(REPO, 'configs', 'demo')
# name: (config under configs/demo or a path, validation key, --cfg-options)
METHODS = {
    'supervised': ('supervised_deeplabv3plus_r18w16-d8_1xb4-1500_'
                   'demovoc-128x128.py', 'mIoU', []),
    'mean teacher': ('mean-teacher_deeplabv3plus_r18w16-d8_1xb8-1500_'
                     'demovoc-128x128.py', 'teacher/mIoU', []),
    'UniMatch-FP': ('unimatch-fp_deeplabv3plus_r18w16-d8_1xb8-1500_'
                    'demovoc-128x128.py', 'teacher/mIoU', []),
    'DDFP': ('ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py',
             'teacher/mIoU', []),
    # the paper's step, relative to the slim decoder's feature norm (see
    # the config): eps 4 on 304 channels ~ eps 2 on 76
    'DDFP eps=2': ('ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-'
                   '128x128.py', 'teacher/mIoU',
                   ['model.feature_perturbation.eps=2.0']),
    # the student's and teacher's heads pool logits over AINet superpixels
    'DDFP + pooling': (osp.join(REPO, 'configs', 'superpixel_pooling',
                                'sp-pool_ddfp_deeplabv3plus_r18w16-d8_1xb8-'
                                '1500_demovoc-128x128.py'), 'teacher/mIoU', []),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--labeled-split', default='50')
    parser.add_argument('--methods', nargs='+', default=list(METHODS))
    parser.add_argument('--out-dir',
                        default=osp.join(REPO, 'work_dirs', 'ddfp_demo'))
    parser.add_argument('--max-iters', type=int, default=1500)
    args = parser.parse_args()
    results = {}
    # Seed-major, so an interrupted sweep still compares every method.
    for seed in args.seeds:
        for method in args.methods:
            config, key, options = METHODS[method]
            work_dir = osp.join(args.out_dir, f'split{args.labeled_split}',
                                method.replace(' ', '_'), f'seed{seed}')
            done = final_metric(work_dir, key)
            if done is None or done[0] < args.max_iters:
                print(f'== {method}, seed {seed}', flush=True)
                train(osp.join(DEMO, config), work_dir, [
                    f'randomness.seed={seed}',
                    f'labeled_split={args.labeled_split}',
                    f'train_cfg.max_iters={args.max_iters}', *options])
                done = final_metric(work_dir, key)
            results.setdefault(method, []).append(done[1])
    print(f'\ndemo data, {args.labeled_split} labeled images, '
          f'{args.max_iters} iterations, seeds {args.seeds}')
    for method, scores in results.items():
        spread = statistics.stdev(scores) if len(scores) > 1 else 0.0
        print(f'  {method:13s} mIoU {statistics.mean(scores):6.2f} +- '
              f'{spread:5.2f}   ({", ".join(f"{s:.2f}" for s in scores)})')
    with open(osp.join(args.out_dir, f'split{args.labeled_split}.json'),
              'w') as f:
        json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
