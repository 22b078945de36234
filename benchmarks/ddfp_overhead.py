"""Iteration time of DDFP next to the plain mean teacher, in one run.

Both demo configs run the same number of training iterations through
mmengine's Runner with every semi-supervised part switched on from the
first iteration (no warm-up phases), so each iteration includes what DDFP
adds: the teacher's pass over the labeled images, the density-descending
step, the perturbed classification and the flow update
(AuxiliaryEstimatorHook). Prints
the median seconds per iteration of each and their ratio (target <= 1.2).

Example:
    python benchmarks/ddfp_overhead.py --iters 30
"""
import argparse
import os.path as osp
import statistics
import tempfile

import torch
from mmengine.runner import Runner

from mmsuperpix.utils import load_run_config

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = {
    'mean teacher': 'mean-teacher_deeplabv3plus_r18w16-d8_1xb8-1500_'
                    'demovoc-128x128.py',
    'DDFP': 'ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py',
}


def seconds_per_iteration(name: str, iters: int, warmup: int,
                          work_dir: str, data_root: str = None) -> float:
    options = {
        'train_cfg.max_iters': iters,
        'train_cfg.val_interval': iters + 1,
        'model.semi_train_cfg.sup_only_iters': 0,
        'model.semi_train_cfg.perturb_start_iter': 0,
        'default_hooks.checkpoint.interval': iters + 1,
        'default_hooks.logger.interval': iters,
        'log_level': 'WARNING',
    }
    if data_root:
        options['data_root'] = data_root
    cfg = load_run_config(osp.join(REPO, 'configs', 'demo', CONFIGS[name]),
                          options, osp.join(work_dir, name.replace(' ', '_')))
    cfg.custom_hooks = [h for h in cfg.custom_hooks
                        if h['type'] != 'MetricCurvesHook']
    runner = Runner.from_cfg(cfg)
    runner.train()
    times = runner.message_hub.get_scalar('train/time').data[0]
    return statistics.median(times[warmup:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=30)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--data-root', help="default: the configs' data_root")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as work_dir:
        seconds = {name: seconds_per_iteration(name, args.iters, args.warmup,
                                               work_dir, args.data_root)
                   for name in CONFIGS}
    print(f'\ndemo configs, batch 4 labeled + 4 unlabeled at 128x128, '
          f'{args.threads} threads, median of iterations '
          f'{args.warmup + 1}..{args.iters}')
    for name, value in seconds.items():
        print(f'  {name:13s}: {value:.3f} s/iteration')
    ratio = seconds['DDFP'] / seconds['mean teacher']
    print(f'  DDFP / mean teacher: {ratio:.2f}x (target <= 1.2x)')


if __name__ == '__main__':
    main()
