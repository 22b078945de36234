"""Picture of an unsupervised segmentor's clusters (NeuralEF, k-means) on
its test images: per image a row of image | ground truth | cluster ids
(one random colour per cluster) | clusters named by the matching that
``ClusterIoUMetric`` fits, fitted here on all the test images.

Example:
    python tools/analysis_tools/show_clusters.py \\
        configs/neuralef/neuralef_dino-vit-t8_1xb8-1500_demovoc-128x128.py \\
        work_dirs/neuralef/iter_1500.pth --out work_dirs/neuralef/clusters.png
"""
import argparse
import os
import os.path as osp
import sys

import cv2
import numpy as np
import torch
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import mmsuperpix  # noqa: F401
from mmsuperpix.evaluation.functional import (cluster_confusion,
                                              match_clusters, matched_scores)
from mmsuperpix.registry import MODELS
from mmsuperpix.utils import (CheckpointError, ConfigError,
                              add_run_arguments, load_local_checkpoint,
                              load_state_dict_checked, load_tool_config)


def colour(ids: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """``(H, W)`` ids -> ``(H, W, 3)`` BGR; negative and 255 ids black."""
    valid = (ids >= 0) & (ids < len(palette))
    out = np.zeros(ids.shape + (3, ), np.uint8)
    out[valid] = palette[ids[valid]]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', required=True, help='the picture (.png)')
    parser.add_argument('--num-images', type=int, default=6)
    parser.add_argument('--row-height', type=int, default=160,
                        help='pixels per row (images are resized to it)')
    parser.add_argument('--mode', choices=['majority', 'hungarian'],
                        default=None, help="default: the config's "
                        'test_evaluator mode, else majority')
    add_run_arguments(parser, 'unused')
    args = parser.parse_args()
    if not os.path.isfile(args.checkpoint):
        sys.exit(f'error: checkpoint {args.checkpoint!r} does not exist.')
    try:
        cfg = load_tool_config(args, 'test')
    except ConfigError as e:
        sys.exit(f'error: {e}')
    mode = args.mode or cfg.get('test_evaluator', {}).get('mode', 'majority')
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(cfg.model)
    model.init_weights()
    try:
        checkpoint = load_local_checkpoint(args.checkpoint, 'cpu')
        load_state_dict_checked(model, checkpoint.get('state_dict',
                                                      checkpoint),
                                args.checkpoint)
    except CheckpointError as e:
        sys.exit(f'error: {e}')
    model.eval()
    loader = Runner.build_dataloader(
        dict(cfg.test_dataloader, persistent_workers=False))
    num_clusters = cfg.model.decode_head.num_classes
    classes = loader.dataset.metainfo['classes']
    # the mapping is fitted on every test image; only the shown ones kept
    confusion, shown = 0, []
    with torch.no_grad():
        for batch in loader:
            for inputs, sample in zip(batch['inputs'],
                                      model.test_step(batch)):
                truth = sample.gt_sem_seg.data[0].numpy()
                cluster = sample.pred_sem_seg.data[0].numpy()
                confusion = confusion + cluster_confusion(
                    cluster, truth, num_clusters, len(classes))
                if len(shown) < args.num_images:
                    shown.append((inputs.permute(1, 2, 0).numpy(), truth,
                                  cluster))
    mapping = match_clusters(confusion, mode)
    scores = matched_scores(confusion, mapping)
    class_palette = np.asarray(loader.dataset.metainfo['palette'],
                               np.uint8)[:, ::-1]
    cluster_palette = np.random.default_rng(0).integers(
        40, 256, (num_clusters, 3), dtype=np.uint8)
    rows = []
    for image, truth, cluster in shown:
        named = np.where(mapping[cluster] >= 0, mapping[cluster], 255)
        height, width = cluster.shape
        size = (round(width * args.row_height / height), args.row_height)
        panels = [
            cv2.resize(np.ascontiguousarray(image), size),
            *(cv2.resize(colour(ids, palette), size,
                         interpolation=cv2.INTER_NEAREST)
              for ids, palette in ((truth, class_palette),
                                   (cluster, cluster_palette),
                                   (named, class_palette)))
        ]
        rows.append(np.hstack(panels))
    width = max(row.shape[1] for row in rows)
    picture = np.vstack([
        cv2.copyMakeBorder(row, 0, 0, 0, width - row.shape[1],
                           cv2.BORDER_CONSTANT, value=(255, 255, 255))
        for row in rows
    ])
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    cv2.imwrite(args.out, picture)
    print(f'{int(confusion.sum())} labelled pixels, {mode} matching: mIoU '
          f'{100 * scores["mIoU"]:.2f}, aAcc {100 * scores["aAcc"]:.2f}; '
          f'columns image | ground truth | clusters | matched: {args.out}')


if __name__ == '__main__':
    main()
