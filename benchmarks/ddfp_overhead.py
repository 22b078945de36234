"""Iteration time of DDFP next to the plain mean teacher, in one run.

Both demo configs run the same number of training iterations through
mmengine's Runner with every semi-supervised part switched on from the
first iteration (no warm-up phases), so each iteration includes what DDFP
adds: the teacher's pass over the labeled images, the density-descending
step, the perturbed classification and the flow update
(AuxiliaryEstimatorHook). Prints
the median seconds per iteration of each and their ratio (target <= 1.2).
UniMatch-style feature dropout, which has DDFP's extra perturbed
classifier pass but no density step and no flow, is timed beside them:
DDFP / UniMatch-FP is the cost of the density-descending part alone.

``--network r101`` times the VOC configs' DeepLabV3+ R101 (random init,
BN, 128x128 crops of the demo data) instead of the demo's slim network:
DDFP's additions (the density step and the flow's fit on a 256-d decoder)
are a fixed cost, so their share depends on the backbone.

Example:
    python benchmarks/ddfp_overhead.py --iters 30
    python benchmarks/ddfp_overhead.py --iters 20 --network r101 \
        --data-root data/demo_voc/VOC2012
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
    'demo': {
        'mean teacher': 'demo/mean-teacher_deeplabv3plus_r18w16-d8_1xb8-'
                        '1500_demovoc-128x128.py',
        'UniMatch-FP': 'demo/unimatch-fp_deeplabv3plus_r18w16-d8_1xb8-'
                       '1500_demovoc-128x128.py',
        'DDFP': 'demo/ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-'
                '128x128.py'},
    'r101': {
        'mean teacher': 'ddfp/mean-teacher_deeplabv3plus_r101-d16_4xb8-80e_'
                        'voc12aug-513x513.py',
        'UniMatch-FP': 'ddfp/unimatch-fp_deeplabv3plus_r101-d16_4xb8-80e_'
                       'voc12aug-513x513.py',
        'DDFP': 'ddfp/ddfp_deeplabv3plus_r101-d16_4xb8-80e_voc12aug-'
                '513x513.py'},
}
#: The VOC configs on the demo data: its label folder, no ImageNet file,
#: plain BN on one process, the demo's crop.
R101_ON_DEMO = {
    'labeled_split': '25', 'crop_size': (128, 128),
    'train_dataloader.dataset.datasets.0.data_prefix.seg_map_path':
    'SegmentationClass',
    'train_dataloader.dataset.datasets.1.data_prefix.'
    'reference_seg_map_path': 'SegmentationClass',
    'val_dataloader.dataset.data_prefix.seg_map_path': 'SegmentationClass',
    'model.segmentor.backbone.init_cfg': None,
    'model.segmentor.backbone.norm_cfg.type': 'BN',
    'model.segmentor.decode_head.norm_cfg.type': 'BN',
}


def seconds_per_iteration(config: str, iters: int, warmup: int,
                          work_dir: str, options: dict) -> float:
    options = {
        **options,
        'train_cfg.max_iters': iters,
        'train_cfg.val_interval': iters + 1,
        'model.semi_train_cfg.sup_only_iters': 0,
        'model.semi_train_cfg.perturb_start_iter': 0,
        'default_hooks.checkpoint.interval': iters + 1,
        'default_hooks.logger.interval': iters,
        'log_level': 'WARNING',
    }
    cfg = load_run_config(osp.join(REPO, 'configs', config), options,
                          work_dir, check_files=False)
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
    parser.add_argument('--network', choices=list(CONFIGS), default='demo')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    options = dict(R101_ON_DEMO) if args.network == 'r101' else {}
    if args.data_root:
        options['data_root'] = args.data_root
    with tempfile.TemporaryDirectory() as work_dir:
        seconds = {name: seconds_per_iteration(
            config, args.iters, args.warmup,
            osp.join(work_dir, name.replace(' ', '_')), options)
            for name, config in CONFIGS[args.network].items()}
    print(f'\n{args.network} network, batch 4 labeled + 4 unlabeled at '
          f'128x128, {args.threads} threads, median of iterations '
          f'{args.warmup + 1}..{args.iters}')
    for name, value in seconds.items():
        print(f'  {name:13s}: {value:.3f} s/iteration')
    ratio = seconds['DDFP'] / seconds['mean teacher']
    print(f'  DDFP / mean teacher: {ratio:.2f}x (target <= 1.2x)')
    print(f"  UniMatch-FP / mean teacher: "
          f"{seconds['UniMatch-FP'] / seconds['mean teacher']:.2f}x, "
          f"DDFP / UniMatch-FP: {seconds['DDFP'] / seconds['UniMatch-FP']:.2f}x")


if __name__ == '__main__':
    main()
