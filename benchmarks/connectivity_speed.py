"""Speed of enforce_connectivity next to scikit-image's cython routine.

Builds a BSDS-sized (481x321) label map with about 600 superpixels, either
with OpenCV's SLIC (``cv2.ximgproc``, on a synthetic image) or from a
jittered 16-px grid with salt noise, and prints the JIT warm-up time and the
min / median time over ``--repeat`` runs of both implementations on the same
map with the SSN/SCN sizes (checking that their outputs are identical).

Example:
    python benchmarks/connectivity_speed.py --repeat 50 --source grid
"""
import argparse
import statistics
import time

import numpy as np

t_import = time.perf_counter()
from mmsuperpix.ops.connectivity import (connectivity_sizes,  # noqa: E402
                                         enforce_connectivity)

t_import = time.perf_counter() - t_import


def grid_map(height: int, width: int, cell: int, noise: float,
             seed: int) -> np.ndarray:
    """A ``cell``-px grid label map with wavy cell borders and a fraction
    ``noise`` of pixels set to a random neighbouring cell's label."""
    rng = np.random.default_rng(seed)
    gh, gw = -(-height // cell), -(-width // cell)
    y, x = np.mgrid[:height, :width]
    phase = rng.uniform(0, 2 * np.pi, 2)
    wy = y + 0.2 * cell * np.sin(x / cell * 2.1 + phase[0])
    wx = x + 0.2 * cell * np.sin(y / cell * 1.7 + phase[1])
    labels = (np.clip(wy // cell, 0, gh - 1) * gw
              + np.clip(wx // cell, 0, gw - 1)).astype(np.int64)
    salt = rng.random((height, width)) < noise
    offsets = rng.choice([-1, 1, -gw, gw], salt.sum())
    # ids stay >= 0: scikit-image treats the id -1 as "unlabelled"
    labels[salt] = (labels[salt] + offsets) % (gh * gw)
    return labels


def slic_map(height: int, width: int, seed: int) -> np.ndarray:
    """OpenCV SLIC (region 16, ruler 10, no connectivity step) on a smooth
    random colour image."""
    import cv2
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (height // 24, width // 24, 3), np.uint8)
    img = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    img = cv2.GaussianBlur(img, (0, 0), 2)
    img = np.clip(img + rng.normal(0, 12, img.shape), 0, 255).astype(
        np.uint8)
    slic = cv2.ximgproc.createSuperpixelSLIC(
        img, algorithm=cv2.ximgproc.SLIC, region_size=16, ruler=10.0)
    slic.iterate(10)
    return slic.getLabels()


def timings(func, repeat: int):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1e3)
    return min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--height', type=int, default=321)
    parser.add_argument('--width', type=int, default=481)
    parser.add_argument('--n-segments', type=int, default=600)
    parser.add_argument('--source', choices=('grid', 'slic'), default='grid')
    parser.add_argument('--noise', type=float, default=0.02)
    parser.add_argument('--repeat', type=int, default=50)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    from skimage.segmentation._slic import _enforce_label_connectivity_cython

    h, w = args.height, args.width
    if args.source == 'grid':
        cell = max(1, round((h * w / args.n_segments)**0.5))
        labels = grid_map(h, w, cell, args.noise, args.seed)
    else:
        labels = slic_map(h, w, args.seed)
    min_size, max_size = connectivity_sizes(h, w, args.n_segments)

    start = time.perf_counter()
    ours_out = enforce_connectivity(labels, min_size, max_size)
    warm_up = time.perf_counter() - start
    theirs_in = labels[np.newaxis].astype(np.intp)
    theirs_out = _enforce_label_connectivity_cython(
        theirs_in, min_size, max_size, start_label=0)[0]

    ours = timings(lambda: enforce_connectivity(labels, min_size, max_size),
                   args.repeat)
    theirs = timings(
        lambda: _enforce_label_connectivity_cython(
            labels[np.newaxis].astype(np.intp), min_size, max_size,
            start_label=0), args.repeat)

    print(f'{args.source} map {h}x{w}: {len(np.unique(labels))} input ids, '
          f'{ours_out.max() + 1} output superpixels, '
          f'min_size={min_size} max_size={max_size}')
    print(f'  outputs identical: {np.array_equal(ours_out, theirs_out)}')
    print(f'  import mmsuperpix.ops.connectivity: {t_import * 1e3:8.1f} ms')
    print(f'  first call (JIT compile or cache load): {warm_up * 1e3:8.1f} ms')
    print(f'  {"":34s}{"min ms":>8s}{"median ms":>11s}  ({args.repeat} runs)')
    print(f'  {"mmsuperpix enforce_connectivity":34s}'
          f'{ours[0]:8.2f}{ours[1]:11.2f}')
    print(f'  {"skimage _enforce_label_conn..._cython":34s}'
          f'{theirs[0]:8.2f}{theirs[1]:11.2f}')


if __name__ == '__main__':
    main()
