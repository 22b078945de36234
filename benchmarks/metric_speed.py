"""Speed of the superpixel benchmark metrics on BSDS500 val, ours vs naive.

Computes OpenCV SLIC superpixels (~600 per image) for every val image, then
scores each (image, annotation) pair with
:func:`mmsuperpix.evaluation.superpixel_metrics` and prints the total and
per-pair time. A slow, straightforward implementation (loops over segments
and boundary pixels) is timed on the first few images, checked against ours
and extrapolated per pair.

Example:
    python benchmarks/metric_speed.py --naive-images 3
"""
import argparse
import glob
import os.path as osp
import time
from typing import Dict, Optional

import cv2
import numpy as np
from mmengine.utils import ProgressBar
from scipy import ndimage

from mmsuperpix.datasets.bsds500 import load_bsds_groundtruth
from mmsuperpix.evaluation.functional import (default_tolerance,
                                              superpixel_metrics)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
KEYS = ('asa', 'br', 'bp', 'ue_np', 'ue_levin', 'co', 'ev')


def slic(image: np.ndarray, region_size: int) -> np.ndarray:
    """OpenCV ximgproc SLIC labels (H, W) int32 of a BGR image."""
    algo = cv2.ximgproc.createSuperpixelSLIC(
        image, algorithm=cv2.ximgproc.SLIC, region_size=region_size,
        ruler=10.0)
    algo.iterate(10)
    algo.enforceLabelConnectivity(25)
    return algo.getLabels()


def naive_metrics(sp: np.ndarray, gt: np.ndarray, image: np.ndarray,
                  r: int) -> Dict[str, float]:
    """The same metrics the straightforward way: one segment at a time."""
    h, w = sp.shape
    n = h * w
    cross = ndimage.generate_binary_structure(2, 1)

    def boundaries(labels):
        out = np.zeros((h, w), bool)
        for lab in np.unique(labels):
            mask = labels == lab
            out |= mask & ~ndimage.binary_erosion(mask, cross, border_value=1)
        return out

    sp_b, gt_b = boundaries(sp), boundaries(gt)
    tp = fp = 0
    def window(y, x):
        return slice(max(0, y - r), y + r + 1), slice(max(0, x - r), x + r + 1)

    for y, x in zip(*np.nonzero(gt_b)):
        tp += bool(sp_b[window(y, x)].any())
    for y, x in zip(*np.nonzero(sp_b & ~gt_b)):
        fp += not gt_b[window(y, x)].any()
    n_gt_b = int(gt_b.sum())

    gt_labels = np.unique(gt)
    gt_size = {g: int((gt == g).sum()) for g in gt_labels}
    covered = dict.fromkeys(gt_labels, 0)
    asa = ue_np = co = 0.0
    ev_above = 0.0
    img = image.astype(np.float64)
    mu = img.reshape(-1, 3).mean(axis=0)
    for lab in np.unique(sp):
        mask = sp == lab
        size = int(mask.sum())
        inside = gt[mask]
        best = 0
        for g in np.unique(inside):
            c = int((inside == g).sum())
            best = max(best, c)
            ue_np += min(c, size - c)
            covered[g] += size
        asa += best
        padded = np.pad(mask, 1)
        perim = int(np.diff(padded, axis=0).sum() + np.diff(padded, axis=1)
                    .sum())
        co += size / n * 4 * np.pi * size / perim**2
        ev_above += size * float(np.sum((img[mask].mean(axis=0) - mu)**2))
    levin = np.mean([(covered[g] - gt_size[g]) / gt_size[g]
                     for g in gt_labels])
    ev_below = float(np.sum((img - mu)**2))
    return dict(asa=asa / n, br=tp / n_gt_b if n_gt_b else 1.0,
                bp=tp / (tp + fp) if tp + fp else 1.0, ue_np=ue_np / n,
                ue_levin=float(levin), co=co,
                ev=ev_above / ev_below if ev_below else float('nan'))


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--data-root', default=osp.join(REPO, '..', 'shared', 'data',
                                        'BSDS500'))
    parser.add_argument('--split', default='val')
    parser.add_argument('--region-size', type=int, default=16)
    parser.add_argument('--naive-images', type=int, default=3,
                        help='images (all annotators) for the naive timing')
    args = parser.parse_args(argv)

    paths = sorted(glob.glob(osp.join(args.data_root, 'images', args.split,
                                      '*.jpg')))
    if not paths:
        raise SystemExit(f'no images under {args.data_root}/images/'
                         f'{args.split}; pass --data-root')
    print(f'{len(paths)} {args.split} images: SLIC + ground truth ...')
    data = []
    slic_time = 0.0
    bar = ProgressBar(len(paths))
    for path in paths:
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        name = osp.splitext(osp.basename(path))[0]
        gts = load_bsds_groundtruth(
            osp.join(args.data_root, 'groundTruth', args.split, name + '.mat'))
        start = time.perf_counter()
        sp = slic(image, args.region_size)
        slic_time += time.perf_counter() - start
        data.append((sp, gts, image))
        bar.update()
    n_pairs = sum(len(gts) for _, gts, _ in data)

    print(f'\nscoring {n_pairs} image-annotation pairs (ours) ...')
    results = []
    bar = ProgressBar(n_pairs)
    start = time.perf_counter()
    for sp, gts, image in data:
        for gt in gts:
            results.append(superpixel_metrics(sp, gt, image))
            bar.update()
    ours = time.perf_counter() - start

    naive_data = data[:args.naive_images]
    n_naive = sum(len(gts) for _, gts, _ in naive_data)
    print(f'\nscoring {n_naive} pairs of {len(naive_data)} images (naive) ...')
    bar = ProgressBar(n_naive)
    naive_time, k = 0.0, 0
    for sp, gts, image in naive_data:
        r = default_tolerance(*sp.shape)
        for gt in gts:
            start = time.perf_counter()
            slow = naive_metrics(sp, gt, image, r)
            naive_time += time.perf_counter() - start
            for key in KEYS:
                np.testing.assert_allclose(results[k][key], slow[key],
                                           rtol=1e-9, err_msg=key)
            k += 1
            bar.update()

    n_sp = np.mean([r['n_superpixels'] for r in results])
    means = {key: np.mean([r[key] for r in results]) for key in KEYS}
    per_pair = ours / n_pairs
    naive_per_pair = naive_time / max(n_naive, 1)
    print(f'\nBSDS500 {args.split}: {len(data)} images, {n_pairs} pairs, '
          f'{n_sp:.1f} SLIC superpixels on average '
          f'(boundary maps 2 px thick, r = {default_tolerance(321, 481)})')
    print('  ' + '  '.join(f'{k}={v:.4f}' for k, v in means.items()))
    print(f'  SLIC (not counted):        {slic_time:8.2f} s')
    print(f'  ours, all pairs:           {ours:8.2f} s '
          f'({per_pair * 1e3:.2f} ms / pair)')
    print(f'  naive, {n_naive:3d} pairs:          {naive_time:8.2f} s '
          f'({naive_per_pair * 1e3:.1f} ms / pair, matches ours)')
    print(f'  naive, all pairs (extrap.): {naive_per_pair * n_pairs:7.1f} s '
          f'-> ours is {naive_per_pair / per_pair:.0f}x faster')


if __name__ == '__main__':
    main()
