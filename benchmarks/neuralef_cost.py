"""Cost of NeuralEF segmentation: the graph kernel and one training
iteration (frozen ViT-S/16 forward, kernel, psi forward + backward, Adam
step) at the paper's batch (16 images, 480x480 crops: 14,400 tokens) and at
smaller ones, printed in one run. Random weights (timing only).

Example (2 CPU threads; the paper's batch takes minutes here)::

    python benchmarks/neuralef_cost.py --batches 2x128 4x256 16x480
"""
import argparse
import time

import torch
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from mmsuperpix.registry import MODELS

D = 384


def build(crop: int, orthogonal_map=None, num_clusters: int = 256):
    init_default_scope('mmseg')
    return MODELS.build(dict(
        type='NeuralEFSegmentor',
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[127.5] * 3,
                               std=[127.5] * 3, size=(crop, crop)),
        backbone=dict(type='VisionTransformer', img_size=(crop, crop),
                      patch_size=16, embed_dims=D, num_layers=12,
                      num_heads=6, out_indices=(0, 6, 11), final_norm=True,
                      patch_bias=True, norm_cfg=dict(type='LN', eps=1e-6)),
        decode_head=dict(type='NeuralEFHead', in_channels=[D] * 3,
                         in_index=[0, 1, 2], input_transform='resize_concat',
                         num_classes=num_clusters,
                         orthogonal_map=orthogonal_map)))


def timed_iteration(model, head, optimizer, inputs) -> dict:
    """One training iteration, its parts timed inside the same call
    (seconds): frozen backbone, kernel, psi forward + backward + Adam step.
    Timing the parts in separate loops let warm-up effects land in one part
    and not another (psi once exceeded the whole iteration)."""
    def now() -> float:
        if inputs.is_cuda:
            torch.cuda.synchronize()
        return time.perf_counter()

    parts, start = {}, now()
    features = model.extract_feat(inputs)
    parts['backbone'] = now() - start
    start = now()
    kernel = model.graph_kernel(inputs, features)
    parts['kernel'] = now() - start
    start = now()
    loss = head.loss(features, None, None, kernel=kernel)
    optimizer.zero_grad()
    sum(loss.values()).backward()
    optimizer.step()
    parts['psi'] = now() - start
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batches', nargs='+', default=['2x128', '16x480'],
                        help='IMAGESxCROP settings')
    parser.add_argument('--repeat', type=int, default=2)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--orthogonal-map', default=None,
                        choices=[None, 'cayley', 'householder'],
                        help="psi's orthogonal map (default: torch's, "
                        'Householder)')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    print(f'device {device}, {torch.get_num_threads()} threads, ViT-S/16, '
          f'K 256, orthogonal map {args.orthogonal_map or "householder"}')
    print('| batch | tokens | backbone s | kernel s | psi fwd+bwd+step s | '
          'iteration s |')
    print('|---|---|---|---|---|---|')
    for setting in args.batches:
        images, crop = (int(v) for v in setting.split('x'))
        model = build(crop, args.orthogonal_map).to(device).train()
        optimizer = torch.optim.Adam(model.decode_head.parameters(), 1e-3)
        inputs = torch.randn(images, 3, crop, crop, device=device)
        head = model.decode_head
        timed_iteration(model, head, optimizer, inputs)  # warm-up
        runs = [timed_iteration(model, head, optimizer, inputs)
                for _ in range(args.repeat)]
        backbone, kernel, psi = (sum(run[part] for run in runs) / len(runs)
                                 for part in ('backbone', 'kernel', 'psi'))
        total = backbone + kernel + psi
        tokens = images * (crop // 16)**2
        print(f'| {images} x {crop}x{crop} | {tokens} | {backbone:.2f} | '
              f'{kernel:.2f} | {psi:.2f} | {total:.2f} |', flush=True)


if __name__ == '__main__':
    main()
