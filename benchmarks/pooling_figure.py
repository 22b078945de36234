"""Picture: demo val images with their superpixels, the ground truth and
the predictions of a model trained without and one trained with superpixel
pooling (the checkpoints of benchmarks/pooling_demo_seeds.py).

Example:
    python benchmarks/pooling_figure.py --seed 0 --out docs/pooling_demo.jpg
"""
import argparse
import os.path as osp

import cv2
import mmcv
import numpy as np
import torch
from mmengine.registry import init_default_scope
from mmseg.apis import init_model, inference_model
from mmseg.datasets import PascalVOCDataset

from mmsuperpix.visualization import draw_superpixel_boundaries
from pooling_demo_seeds import PLAIN, POOLED
from sweep_utils import REPO

PALETTE = np.array(PascalVOCDataset.METAINFO['palette'] + [[255, 255, 255]] *
                   235, dtype=np.uint8)[:, ::-1]  # BGR, 255 = white


def labelled(panel: np.ndarray, text: str) -> np.ndarray:
    panel = panel.copy()
    cv2.rectangle(panel, (0, 0), (8 * len(text) + 8, 20), (0, 0, 0), -1)
    cv2.putText(panel, text, (4, 15), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                (255, 255, 255), 1)
    return panel


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--images', type=int, nargs='+',
                        default=[1, 7, 12, 23])
    parser.add_argument('--runs', default=osp.join(REPO, 'work_dirs',
                                                   'pooling_demo'))
    parser.add_argument('--out', default=osp.join(REPO, 'work_dirs',
                                                  'pooling_demo',
                                                  'pooling_demo.jpg'))
    args = parser.parse_args()
    init_default_scope('mmseg')
    models = {
        name: init_model(config, osp.join(args.runs, folder,
                                          f'seed{args.seed}', 'iter_1500.pth'),
                     device='cpu')
        for name, config, folder in (('no pooling', PLAIN, 'no_pooling'),
                                     ('pooling', POOLED, 'pooling'))
    }
    root = osp.join(REPO, models['pooling'].cfg.data_root)
    with open(osp.join(root, 'ImageSets', 'Segmentation', 'val.txt')) as f:
        names = f.read().split()
    rows = []
    for index in args.images:
        image = cv2.imread(osp.join(root, 'JPEGImages',
                                    names[index] + '.jpg'))
        gt = mmcv.imread(osp.join(root, 'SegmentationClass',
                                  names[index] + '.png'), 'unchanged',
                         backend='pillow')  # palette indices
        with torch.no_grad():
            results = {n: inference_model(m, image)
                       for n, m in models.items()}
        superpixels = results['pooling'].metainfo['superpixels'].cpu().numpy()
        superpixels = cv2.resize(superpixels.astype(np.float32),
                                 image.shape[1::-1],
                                 interpolation=cv2.INTER_NEAREST)
        panels = [labelled(draw_superpixel_boundaries(
            image, superpixels.astype(np.int64)), 'AINet superpixels'),
                  labelled(PALETTE[gt], 'ground truth')]
        for name, result in results.items():
            pred = result.pred_sem_seg.data[0].cpu().numpy()
            panels.append(labelled(PALETTE[pred], name))
        rows.append(np.concatenate(panels, 1))
    width = max(r.shape[1] for r in rows)
    rows = [np.pad(r, ((0, 4), (0, width - r.shape[1]), (0, 0)),
                   constant_values=255) for r in rows]
    cv2.imwrite(args.out, np.concatenate(rows, 0))
    print(f'figure written to {args.out}')


if __name__ == '__main__':
    main()
