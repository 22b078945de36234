"""Superpixel speed on a CPU: learned models end to end next to OpenCV SLIC,
and training throughput.

End to end = image array in, connected labels out: normalisation, the
network (grid models: on the image resized to the 16-px grid; SSN heads: on
the full-resolution image), hard labels, exact upsampling, connectivity.
The shipped default model is timed with its shipped weights, the other
configs with random weights (their speed does not depend on the weights).

Example:
    python benchmarks/superpixel_speed.py --threads 2 --n-segments 600
"""
import argparse
import glob
import os.path as osp
import statistics
import time

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmsuperpix.superpixels import (DEFAULT_CHECKPOINT, DEFAULT_CONFIG,
                                    LearnedSuperpixels,
                                    build_superpixel_method)
from mmsuperpix.registry import MODELS
from sweep_utils import REPO, SUPERPIXEL_CONFIGS


def timed(fn, repeat):
    fn()  # warm-up (JIT, allocator)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1e3)
    return min(times), statistics.median(times), out


def equal_count_request(method, image, target, steps=4):
    """The ``n_segments`` at which ``method`` gives about ``target``
    superpixels on ``image`` (a few proportional corrections)."""
    request = target
    for _ in range(steps):
        count = len(np.unique(method(image, request)))
        request = max(1, round(request * target / count))
    return request


def paired_ratios(fn, reference, repeat):
    """Times of ``fn`` over ``reference``, timed in alternation (pairs run
    back to back, so drifts of a shared machine hit both alike)."""
    fn(), reference()
    ratios = []
    for _ in range(repeat):
        times = []
        for call in (fn, reference):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        ratios.append(times[0] / times[1])
    return np.quantile(ratios, [0.25, 0.5, 0.75])


def load_image(path):
    if path is None:
        found = sorted(glob.glob(osp.join(REPO, 'data/BSDS500/images/val',
                                          '*.jpg')))
        path = found[0] if found else None
    if path is None:
        rng = np.random.default_rng(0)
        return cv2.resize(rng.integers(0, 255, (40, 60, 3), np.uint8),
                          (481, 321)), 'synthetic 481x321'
    image = cv2.imread(path)
    if image.shape[0] > image.shape[1]:
        image = image.transpose(1, 0, 2).copy()
    return image, osp.relpath(path, REPO)


def inference_rows(image, n_segments, repeat):
    rows = []
    models = {'default': (DEFAULT_CONFIG, DEFAULT_CHECKPOINT)}
    models.update({name: (osp.join(REPO, config), None)
                   for name, config in SUPERPIXEL_CONFIGS.items()})
    for name, (config, checkpoint) in models.items():
        weights = 'shipped' if checkpoint else 'random'
        for precision in ('float32', 'auto'):
            method = LearnedSuperpixels(config, checkpoint,
                                        precision=precision).load()
            best, median, labels = timed(
                lambda: method(image, n_segments), repeat)
            rows.append((f'{name} {precision} ({weights})', best, median,
                         len(np.unique(labels))))
    for name in ('opencv_slic', 'skimage_slic'):
        method = build_superpixel_method(name)
        best, median, labels = timed(
            lambda: method(image, n_segments), repeat)
        rows.append((name, best, median, len(np.unique(labels))))
    return rows


def training_rows(iterations):
    init_default_scope('mmseg')
    rows = []
    for name, config in SUPERPIXEL_CONFIGS.items():
        cfg = Config.fromfile(osp.join(REPO, config))
        for precision in (None, 'bfloat16'):
            cfg.model.train_cfg = dict(mixed_precision=precision)
            model = MODELS.build(cfg.model)
            optim = torch.optim.Adam(model.parameters(), 8e-5)
            for batch in (8, 16):
                x = torch.randn(batch, 3, 208, 208)
                labels = (torch.arange(208)[:, None] // 26 * 8 +
                          torch.arange(208) // 26).expand(batch, -1, -1)
                MessageHub.get_current_instance().update_info('iter', 10**9)

                # aux_img: CDS's auxiliary modality (others ignore it)
                samples = [SegDataSample(
                    gt_sem_seg=PixelData(data=label[None]),
                    aux_img=PixelData(data=torch.randn(3, 208, 208)))
                           for label in labels]

                def step():  # the training path: autocast, channels-last
                    losses = model.loss(x, samples)
                    optim.zero_grad()
                    sum(losses.values()).backward()
                    optim.step()

                best, median, _ = timed(step, iterations)
                rows.append((name, precision or 'float32', batch,
                             1e3 / median))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--image', default=None)
    parser.add_argument('--n-segments', type=int, default=600)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--repeat', type=int, default=20)
    parser.add_argument('--train-iters', type=int, default=3)
    parser.add_argument('--skip-training', action='store_true')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cv2.setNumThreads(args.threads)
    image, source = load_image(args.image)
    print(f'inference, {source} ({image.shape[1]}x{image.shape[0]}), '
          f'~{args.n_segments} superpixels, {args.threads} threads, '
          f'{args.repeat} runs')
    rows = inference_rows(image, args.n_segments, args.repeat)
    slic = rows[-2][2]  # opencv_slic
    print(f'{"method":32s} {"min ms":>8s} {"median ms":>10s} {"K":>6s} '
          f'{"/ opencv_slic":>13s}')
    for name, best, median, k in rows:
        print(f'{name:32s} {best:8.1f} {median:10.1f} {k:6d} '
              f'{median / slic:13.2f}')
    default = LearnedSuperpixels(precision='auto').load()
    opencv_slic = build_superpixel_method('opencv_slic')
    target = len(np.unique(opencv_slic(image, args.n_segments)))
    equal_k = equal_count_request(default, image, target)
    for request, what in ((args.n_segments, 'equal n_segments'),
                          (equal_k, 'equal actual K')):
        count = len(np.unique(default(image, request)))
        low, mid, high = paired_ratios(
            lambda: default(image, request),
            lambda: opencv_slic(image, args.n_segments), 2 * args.repeat)
        print(f'default auto (n_segments {request}, K {count}) / '
              f'opencv_slic (K {target}), {what}, {2 * args.repeat} '
              f'interleaved pairs: median {mid:.2f} (quartiles {low:.2f}-'
              f'{high:.2f})')
    if args.skip_training:
        return
    print(f'\ntraining, 208x208 crops, loss + backward + Adam step, '
          f'{args.threads} threads')
    print(f'{"model":8s} {"precision":10s} {"batch":>5s} {"it/s":>7s}')
    for name, precision, batch, speed in training_rows(args.train_iters):
        print(f'{name:8s} {precision:10s} {batch:5d} {speed:7.3f}')


if __name__ == '__main__':
    main()
