"""Peak memory of the superpixel protocol per network pixel.

``superpixelize`` runs the network on the image resized to
``grid_shape(H, W, n_segments) * 16`` px, so its memory grows with the
requested count, not with the image. For each model and precision this runs
``superpixelize`` on a 321x481 image at several counts, each in a fresh
process, and records the peak resident memory (``ru_maxrss``) above the
memory before the call. The slope of a least-squares line through
(network pixels, bytes) is the cost per network pixel;
``BYTES_PER_NETWORK_PIXEL`` in ``mmsuperpix/superpixels/
protocol.py`` is the largest slope found, rounded up.

``--clustered`` measures the default model instead (SSN on SCN), which
runs the network on the image itself and clusters at full resolution: its
memory grows with the pixels and with the clusters (``cell_size`` 1 gives
one cluster per pixel). A least-squares fit of (pixels, clusters) -> bytes
gives ``BYTES_PER_CLUSTERED_PIXEL`` and ``BYTES_PER_CLUSTER``.

Example:
    python benchmarks/protocol_memory.py --threads 2   # ~5 min, up to 4.5 GB
    python benchmarks/protocol_memory.py --clustered   # ~1 min, up to 3 GB
"""
import argparse
import os.path as osp
import resource
import subprocess
import sys

import numpy as np
import psutil
import torch

from mmsuperpix.apis import init_superpixel_model, superpixelize
from mmsuperpix.superpixels import cluster_cell_size, grid_shape
from mmsuperpix.superpixels.protocol import (BYTES_PER_CLUSTER,
                                             BYTES_PER_CLUSTERED_PIXEL)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(
    SCN=osp.join(REPO, 'configs/scn/scn_1xb16-4k_bsds500-208x208.py'),
    AINet=osp.join(REPO, 'configs/ainet/ainet_1xb16-4k_bsds500-208x208.py'))
IMAGE_SHAPE = (321, 481)
#: ``--clustered``: (height, width, n_segments), from the usual cell size
#: to one cluster per pixel.
CLUSTERED_RUNS = [(375, 500, 600), (375, 500, 20000), (375, 500, 150000),
                  (750, 1000, 600), (750, 1000, 600000)]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--counts', type=int, nargs='+',
                        default=[12000, 24000, 48000])
    parser.add_argument('--precisions', nargs='+',
                        default=['float32', 'bfloat16'])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--clustered', action='store_true',
                        help='measure the default (full-resolution '
                        'clustering) model instead')
    parser.add_argument('--one', nargs=3, metavar=('MODEL', 'PRECISION',
                                                   'COUNT'),
                        help='internal: measure one run in this process')
    parser.add_argument('--one-clustered', nargs=3, type=int,
                        metavar=('HEIGHT', 'WIDTH', 'COUNT'),
                        help='internal: measure one run in this process')
    return parser.parse_args()


def peak_of_call(model, image: np.ndarray, count: int,
                 warmup: np.ndarray) -> int:
    """Peak resident bytes of one ``superpixelize`` call above the memory
    before it (after a warm-up call on ``warmup``: allocator, kernels)."""
    superpixelize(model, warmup, 50)
    before = psutil.Process().memory_info().rss
    superpixelize(model, image, count)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before


def measure_clustered_one(height: int, width: int, count: int) -> None:
    """Print ``pixels clusters peak_bytes`` of the default model."""
    image = np.random.default_rng(0).integers(
        0, 255, (height, width, 3), dtype=np.uint8)
    size = cluster_cell_size(height, width, count)
    clusters = -(-height // size) * -(-width // size)
    print(height * width, clusters,
          peak_of_call(init_superpixel_model(), image, count,
                       image[:64, :64]))


def fit_clustered(threads: int) -> None:
    points = []
    for height, width, count in CLUSTERED_RUNS:
        out = subprocess.run(
            [sys.executable, __file__, '--threads', str(threads),
             '--one-clustered', str(height), str(width), str(count)],
            capture_output=True, text=True, check=True).stdout.split()
        points.append([int(v) for v in out[-3:]])
        print(f'{height}x{width} n_segments={count}: {points[-1][1]:,} '
              f'clusters, {points[-1][2] / 2**20:.0f} MiB')
    pixels, clusters, peaks = np.array(points, dtype=np.float64).T
    (per_pixel, per_cluster), *_ = np.linalg.lstsq(
        np.stack([pixels, clusters], 1), peaks, rcond=None)
    worst = max(p / (px * BYTES_PER_CLUSTERED_PIXEL + c * BYTES_PER_CLUSTER)
                for px, c, p in points)
    print(f'fit: {per_pixel:.0f} bytes/pixel + {per_cluster:.0f} '
          f'bytes/cluster; the largest measured / estimated peak with '
          f'protocol.py\'s constants is {worst:.2f} (must stay < 1)')


def measure_one(model_name: str, precision: str, count: int) -> None:
    """Print ``network_pixels peak_bytes`` of one ``superpixelize`` call."""
    model = init_superpixel_model(CONFIGS[model_name], precision=precision)
    image = np.random.default_rng(0).integers(
        0, 255, (*IMAGE_SHAPE, 3), dtype=np.uint8)
    peak = peak_of_call(model, image, count, image)
    rows, cols = grid_shape(*IMAGE_SHAPE, count)
    print(rows * cols * model.cell_size**2, peak)


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    if args.one:
        measure_one(args.one[0], args.one[1], int(args.one[2]))
        return
    if args.one_clustered:
        measure_clustered_one(*args.one_clustered)
        return
    if args.clustered:
        fit_clustered(args.threads)
        return
    for name in CONFIGS:
        for precision in args.precisions:
            points = []
            for count in args.counts:
                out = subprocess.run(
                    [sys.executable, __file__, '--threads',
                     str(args.threads), '--one', name, precision,
                     str(count)], capture_output=True, text=True,
                    check=True).stdout.split()
                points.append((int(out[-2]), int(out[-1])))
            pixels, peaks = np.array(points, dtype=np.float64).T
            slope = np.polyfit(pixels, peaks, 1)[0]
            print(f'{name:6s} {precision:9s} ' + '  '.join(
                f'{p / 1e6:.2f} Mpx: {b / 2**20:.0f} MiB'
                for p, b in points) + f'  -> {slope:.0f} bytes/pixel')


if __name__ == '__main__':
    main()
