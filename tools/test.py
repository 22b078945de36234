# Adapted from mmsegmentation 1.2.2 tools/test.py (Apache-2.0, Copyright
# OpenMMLab). Same interface; additions as in tools/train.py, and a
# checkpoint that does not fit the model is refused (not evaluated).
import argparse
import os
import sys

from mmengine.runner import Runner

import mmsuperpix  # noqa: F401
from mmsuperpix.utils import (CheckpointError, ConfigError, add_run_arguments,
                              check_datasets, export_local_rank,
                              load_run_config, shutdown_distributed)


def parse_args():
    parser = argparse.ArgumentParser(
        description='MMSeg test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out',
        type=str,
        help='The directory to save output prediction for offline evaluation')
    parser.add_argument(
        '--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='directory where every test image is saved with its painted '
        'prediction (under vis_data/vis_image)')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='the interval of show (s)')
    parser.add_argument(
        '--tta', action='store_true', help='Test time augmentation')
    add_run_arguments(
        parser, 'if specified, the evaluation metric results will be dumped '
        'into the directory as json')
    args = parser.parse_args()
    export_local_rank(args)
    return args


def trigger_visualization_hook(cfg, args):
    default_hooks = cfg.default_hooks
    if 'visualization' not in default_hooks:
        raise RuntimeError(
            'VisualizationHook must be included in default_hooks; add '
            "visualization=dict(type='SegVisualizationHook') to the config.")
    visualization_hook = default_hooks['visualization']
    visualization_hook['draw'] = True
    if args.show:
        visualization_hook['show'] = True
        visualization_hook['wait_time'] = args.wait_time
    if args.show_dir:
        cfg.visualizer['save_dir'] = args.show_dir
        # mmseg paints every 50th image by default; --show-dir asks for all
        visualization_hook['interval'] = 1
    return cfg


def main():
    args = parse_args()
    if not os.path.isfile(args.checkpoint):
        sys.exit(f'error: checkpoint {args.checkpoint!r} does not exist.')
    try:
        cfg = load_run_config(args.config, args.cfg_options, args.work_dir,
                              args.launcher, allow_unsafe_checkpoint=args.
                              allow_unsafe_checkpoint)
        check_datasets(cfg, 'test')  # data errors before the model
    except ConfigError as e:
        sys.exit(f'error: {e}')
    cfg.load_from = args.checkpoint

    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)

    if args.tta:
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model

    if args.out is not None:
        cfg.test_evaluator['output_dir'] = args.out
        cfg.test_evaluator['keep_results'] = True

    runner = Runner.from_cfg(cfg)
    try:
        runner.test()  # CheckpointFitHook refuses weights of another model
    except CheckpointError as e:
        sys.exit(f'error: {e}')
    finally:
        shutdown_distributed()


if __name__ == '__main__':
    main()
