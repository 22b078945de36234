# Adapted from mmsegmentation 1.2.2 tools/train.py (Apache-2.0, Copyright
# OpenMMLab). Same interface; additions: `import mmsuperpix` (registration and
# safe checkpoint loading), early config and data checks with readable
# errors, the run safeguards (stop on NaN, atomic checkpoints, exact resume,
# --resume past a damaged checkpoint) and distributed training on CPU-only
# machines (gloo).
import argparse
import logging
import sys

from mmengine.logging import print_log
from mmengine.runner import Runner

import mmsuperpix  # noqa: F401
from mmseg.registry import RUNNERS
from mmsuperpix.engine import TrainingDivergedError
from mmsuperpix.utils import (CheckpointError, ConfigError, add_run_arguments,
                              check_datasets, export_local_rank,
                              find_resume_checkpoint, load_run_config,
                              shutdown_distributed)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a segmentor')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        action='store_true',
        default=False,
        help='resume from the latest checkpoint in the work_dir automatically')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='enable automatic-mixed-precision training')
    add_run_arguments(parser, 'the dir to save logs and models')
    args = parser.parse_args()
    export_local_rank(args)
    return args


def main():
    args = parse_args()
    try:
        cfg = load_run_config(args.config, args.cfg_options, args.work_dir,
                              args.launcher, allow_unsafe_checkpoint=args.
                              allow_unsafe_checkpoint)
        check_datasets(cfg, 'train')  # data errors before the model
        if args.resume and cfg.get('load_from') is None:
            # last_checkpoint, or the newest intact one if it is damaged
            cfg.load_from = find_resume_checkpoint(cfg.work_dir)
    except (ConfigError, CheckpointError) as e:
        sys.exit(f'error: {e}')

    # enable automatic-mixed-precision training
    if args.amp is True:
        optim_wrapper = cfg.optim_wrapper.type
        if optim_wrapper == 'AmpOptimWrapper':
            print_log(
                'AMP training is already enabled in your config.',
                logger='current',
                level=logging.WARNING)
        else:
            assert optim_wrapper == 'OptimWrapper', (
                '`--amp` is only supported when the optimizer wrapper type is '
                f'`OptimWrapper` but got {optim_wrapper}.')
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'

    cfg.resume = args.resume

    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        runner = RUNNERS.build(cfg)
    try:
        runner.train()
    except (CheckpointError, TrainingDivergedError) as e:
        sys.exit(f'error: {e}')
    finally:
        shutdown_distributed()


if __name__ == '__main__':
    main()
