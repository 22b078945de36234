"""Cost of the per-image optimisers (Eliasof et al., RIM) on a 481x321 image.

For each method config, times ``--iters`` Adam steps of one image and of a
batch of ``--batch`` images (independent weights, optimised together), after
one warm-up step, and prints seconds per iteration, seconds per image at the
config's ``num_iters`` (iteration time x iterations; the final labelling
is not included) and the same per image when ``--batch`` images are
optimised together. The paper's settings take over a minute per
iteration on a 2-core CPU, so every per-image time is extrapolated from
``--iters`` timed steps (printed above the table).

Example (2 CPU threads, ~10 min)::

    python benchmarks/unsupervised_superpixel_cost.py --threads 2 \\
        --methods eliasof_fast rim_fast rim eliasof --iters 1 --batch 2
"""
import argparse
import os.path as osp
import sys
import time

import numpy as np
import torch

import mmsuperpix  # noqa: F401
from mmsuperpix.superpixels import (PER_IMAGE_METHODS, build_superpixel_method,
                                    method_from_config)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
ZOO = osp.join(REPO, 'mmsuperpix', 'model_zoo')
FAST = {
    'eliasof_fast': osp.join(ZOO, 'eliasof_icip2022_fast.py'),
    'rim_fast': osp.join(ZOO, 'rim_icassp2020_fast.py')
}


def test_image(height=321, width=481, seed=0):
    """A BSDS-sized synthetic image (shapes + noise); cost does not depend
    on content."""
    rng = np.random.default_rng(seed)
    rgb = np.full((3, height, width), 110.0)
    for _ in range(12):
        y, x = rng.integers(0, height - 40), rng.integers(0, width - 40)
        rgb[:, y:y + rng.integers(20, 120), x:x + rng.integers(20, 160)] = \
            rng.integers(0, 256, (3, 1, 1))
    return torch.from_numpy(rgb + rng.normal(0, 6, rgb.shape)).float()


def time_method(method, images, iters, n_segments):
    """Seconds per iteration and for the labelling of ``images``."""
    count = method.num_superpixels(
        n_segments, *method.optimisation_size(*images.shape[-2:]))
    method.num_iters = 1
    method.optimise(images, count)  # warm-up (allocator, oneDNN kernels)
    method.num_iters = iters
    start = time.perf_counter()
    method.optimise(images, count)
    per_iter = (time.perf_counter() - start) / iters  # + the final pass
    return per_iter, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--methods', nargs='+',
                        default=['eliasof', 'rim', *FAST],
                        choices=[*PER_IMAGE_METHODS, *FAST])
    parser.add_argument('--iters', type=int, default=2)
    parser.add_argument('--batch', type=int, default=4)
    parser.add_argument('--n-segments', type=int, default=100)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    image = test_image()
    batch = image[None].repeat(args.batch, 1, 1, 1)
    print(f'device {device}, {torch.get_num_threads()} threads, 481x321, '
          f'n_segments {args.n_segments}; per-image times extrapolated from '
          f'{args.iters} timed iteration(s)')
    print(f'| method | N | optimised at | iterations | s / iteration | '
          f's / image (x iterations) | batch of {args.batch}: s / iteration '
          f'| batched: s / image | batched speed-up |')
    print('|---|---|---|---|---|---|---|---|')
    for name in args.methods:
        method = method_from_config(FAST[name]) if name in FAST else \
            build_superpixel_method(name)
        method.progress, method.device = False, device
        iterations = method.num_iters
        size = method.optimisation_size(*image.shape[-2:])
        single, count = time_method(method, image[None], args.iters,
                                    args.n_segments)
        batched, _ = time_method(method, batch, args.iters, args.n_segments)
        per_image = single * iterations
        batched_per_image = batched * iterations / args.batch
        print(f'| {name} | {count} | {size[0]}x{size[1]} | {iterations} | '
              f'{single:.2f} | {per_image:.0f} | {batched:.2f} | '
              f'{batched_per_image:.0f} | '
              f'{per_image / batched_per_image:.2f}x |', flush=True)
    sys.stdout.flush()


if __name__ == '__main__':
    main()
