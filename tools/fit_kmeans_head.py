"""Fit the k-means baseline of NeuralEF segmentation: run a config's frozen
backbone over its training images, cluster the tokens into K centres
(``KMeansHead``) and save a checkpoint that ``tools/test.py`` evaluates with
the same cluster-to-class matching as NeuralEF.

Example:
    python tools/fit_kmeans_head.py configs/neuralef/<kmeans config>.py \\
        work_dirs/kmeans/kmeans.pth
    python tools/test.py configs/neuralef/<kmeans config>.py \\
        work_dirs/kmeans/kmeans.pth
"""
import argparse
import os
import os.path as osp
import sys

import torch
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import mmsuperpix  # noqa: F401
from mmsuperpix.apis import fit_kmeans_head
from mmsuperpix.registry import MODELS
from mmsuperpix.utils import (ConfigError, add_run_arguments,
                              load_tool_config)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='a config whose decode_head is a '
                        'KMeansHead')
    parser.add_argument('out', help='the checkpoint to write (.pth)')
    parser.add_argument('--tokens-per-image', type=int, default=256)
    parser.add_argument('--seed', type=int, default=0)
    add_run_arguments(parser, 'unused (the checkpoint path is OUT)')
    args = parser.parse_args()
    try:
        cfg = load_tool_config(args, 'train')
    except ConfigError as e:
        sys.exit(f'error: {e}')
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(cfg.model)
    model.init_weights()  # the backbone's pretrained weights
    # one pass over the training images (training uses an endless sampler)
    loader_cfg = dict(cfg.train_dataloader, persistent_workers=False,
                      sampler=dict(type='DefaultSampler', shuffle=False))
    dataloader = Runner.build_dataloader(loader_cfg, seed=args.seed)
    try:
        count = fit_kmeans_head(model, dataloader, args.tokens_per_image,
                                args.seed)
    except (TypeError, ValueError) as e:
        sys.exit(f'error: {e}')
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(config=args.config, tokens=count)), args.out)
    print(f'\nk-means on {count} tokens: {args.out}')


if __name__ == '__main__':
    main()
