"""Superpixel pooling cost per image next to the decode head it wraps.

One 512x512 image, ~1000 superpixels (a 32x32 grid of 16-px cells, jittered
so that they are not squares), CPU, median of ``--repeat`` runs:

- hard pooling + unpooling (``superpixel_mean``: one scatter_add + one
  gather) of 256 channels at 512x512, next to what one would write
  without it: a dense one-hot ``(K, H*W)`` matmul (SSN-style ``bmm``) and
  ``torch.sparse.mm``;
- soft 9-neighbour pooling + unpooling (``pool_by_association`` /
  ``unpool_by_association``) of the same tensor;
- what the shipped configs do: logits (21 classes) upsampled to 512x512
  and pooled, i.e. ``SuperpixelPoolingHead`` minus the head;
- the wrapped head's own forward: mmseg's DeepLabV3+ head of the R50 VOC
  config on the features of a 512x512 image (2048 ch at 1/8, 256 ch at 1/4).

Example:
    python benchmarks/pooling_overhead.py --repeat 10 --threads 2
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from mmsuperpix.models.utils import SuperpixelBatch
from mmsuperpix.ops import (pool_by_association, superpixel_mean,
                            unpool_by_association)
from mmsuperpix.registry import MODELS
from sweep_utils import REPO

SIZE, CELL, CHANNELS = 512, 16, 256
R50_VOC = (f'{REPO}/configs/superpixel_pooling/sp-pool_deeplabv3plus_'
           'r50-d8_4xb4-20k_voc12aug-512x512.py')


def median_ms(fn, repeat: int) -> float:
    with torch.no_grad():
        fn()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def superpixels() -> torch.Tensor:
    """(1, 512, 512) labels: 16-px cells with jittered borders (1024)."""
    torch.manual_seed(0)
    yy, xx = torch.meshgrid(torch.arange(SIZE), torch.arange(SIZE),
                            indexing='ij')
    wobble = (4 * torch.sin(yy / 7.0) + 4 * torch.cos(xx / 5.0)).round()
    rows = ((yy + wobble).clamp(0, SIZE - 1) // CELL).long()
    cols = ((xx - wobble).clamp(0, SIZE - 1) // CELL).long()
    return (rows * (SIZE // CELL) + cols)[None]


def dense_reference(feat: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    onehot = F.one_hot(labels.view(-1)).float().t()  # (K, HW)
    flat = feat.view(feat.shape[1], -1).t()  # (HW, C)
    means = onehot @ flat / onehot.sum(1, keepdim=True).clamp(min=1)
    return (onehot.t() @ means).t().view_as(feat)


def sparse_reference(feat: torch.Tensor,
                     labels: torch.Tensor) -> torch.Tensor:
    ids = labels.view(-1)
    k = int(ids.max()) + 1
    onehot = torch.sparse_coo_tensor(
        torch.stack([ids, torch.arange(ids.numel())]),
        torch.ones(ids.numel()), (k, ids.numel()))
    means = torch.sparse.mm(onehot, feat.view(feat.shape[1], -1).t())
    means = means / torch.bincount(ids, minlength=k).clamp(min=1)[:, None]
    return means[ids].t().reshape(feat.shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=10)
    parser.add_argument('--threads', type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    init_default_scope('mmseg')
    labels = superpixels()
    feat = torch.randn(1, CHANNELS, SIZE, SIZE)
    assoc = torch.rand(1, 9, SIZE, SIZE).softmax(1)
    assert torch.allclose(superpixel_mean(feat, labels),
                          dense_reference(feat, labels), atol=1e-4)

    cfg = Config.fromfile(R50_VOC).model
    model = MODELS.build(cfg.decode_head).eval()
    inputs = [torch.randn(1, 256, SIZE // 4, SIZE // 4),
              torch.randn(1, 512, SIZE // 8, SIZE // 8),
              torch.randn(1, 1024, SIZE // 8, SIZE // 8),
              torch.randn(1, 2048, SIZE // 8, SIZE // 8)]
    logits = model.head(inputs)

    def head_pooling():
        with model.use_superpixels(SuperpixelBatch(labels=labels)):
            model._pool_logits(logits)

    def soft():
        cells = pool_by_association(feat, assoc, CELL)
        unpool_by_association(cells, assoc, CELL)

    rows = [
        (f'hard pool+unpool, {CHANNELS} ch (superpixel_mean)',
         median_ms(lambda: superpixel_mean(feat, labels), args.repeat)),
        (f'  dense one-hot matmul, {CHANNELS} ch (reference)',
         median_ms(lambda: dense_reference(feat, labels), args.repeat)),
        (f'  torch.sparse.mm, {CHANNELS} ch (reference)',
         median_ms(lambda: sparse_reference(feat, labels), args.repeat)),
        (f'soft 9-neighbour pool+unpool, {CHANNELS} ch',
         median_ms(soft, args.repeat)),
        ('logits 1/4 -> 512x512, pooled (the shipped configs)',
         median_ms(head_pooling, args.repeat)),
        ('DeepLabV3+ head forward (R50 VOC config)',
         median_ms(lambda: model.head(inputs), args.repeat)),
    ]
    print(f'{SIZE}x{SIZE}, {int(labels.max()) + 1} superpixels, '
          f'{torch.get_num_threads()} threads, median of {args.repeat}')
    for name, ms in rows:
        print(f'  {name:52s} {ms:8.1f} ms')
    head_ms = rows[-1][1]
    print(f'  pooling overhead of the shipped configs: '
          f'{100 * rows[-2][1] / head_ms:.1f}% of the head forward; '
          f'256-ch hard pooling: {100 * rows[0][1] / head_ms:.1f}%')


if __name__ == '__main__':
    main()
