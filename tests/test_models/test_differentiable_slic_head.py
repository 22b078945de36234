"""SSN's differentiable SLIC head: equal to a slow soft k-means reference,
gradients, any cell size, and full-resolution prediction in the
superpixel segmentor."""
import math

import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

from mmsuperpix.models.heads import DifferentiableSLICHead
from mmsuperpix.ops import (NEIGHBOURS, cell_samples, from_cell_blocks,
                            grid_soft_kmeans, rgb_to_lab)
from mmsuperpix.registry import MODELS


def reference_soft_kmeans(feat, valid, cell, iters):
    """Loops over pixels and cells: ``feat (N, C, H, W)`` already padded
    to multiples of ``cell``, ``valid (N, H, W)`` bool."""
    feat = feat.detach().double().numpy()
    valid = valid.numpy()
    num, channels, height, width = feat.shape
    h, w = height // cell, width // cell
    centres = np.zeros((num, channels, h, w))
    for n in range(num):
        for i in range(h):
            for j in range(w):
                block = feat[n, :, i * cell:(i + 1) * cell,
                             j * cell:(j + 1) * cell]
                mask = valid[n, i * cell:(i + 1) * cell,
                             j * cell:(j + 1) * cell]
                centres[n, :, i, j] = block[:, mask].mean(1)
    for step in range(iters):
        assoc = np.zeros((num, 9, height, width))
        for n in range(num):
            for y in range(height):
                for x in range(width):
                    scores = np.full(9, -np.inf)
                    for k, (dy, dx) in enumerate(NEIGHBOURS):
                        i, j = y // cell + dy, x // cell + dx
                        if 0 <= i < h and 0 <= j < w:
                            diff = feat[n, :, y, x] - centres[n, :, i, j]
                            scores[k] = -(diff * diff).sum()
                    e = np.exp(scores - scores.max())
                    assoc[n, :, y, x] = e / e.sum()
        if step == iters - 1:
            return torch.from_numpy(assoc)
        sums = np.zeros((num, channels, h, w))
        weights = np.zeros((num, h, w))
        for n in range(num):
            for y in range(height):
                for x in range(width):
                    if not valid[n, y, x]:
                        continue
                    for k, (dy, dx) in enumerate(NEIGHBOURS):
                        i, j = y // cell + dy, x // cell + dx
                        if 0 <= i < h and 0 <= j < w:
                            q = assoc[n, k, y, x]
                            sums[n, :, i, j] += q * feat[n, :, y, x]
                            weights[n, i, j] += q
        centres = sums / weights[:, None]


def inputs(num=2, height=12, width=16, channels=4, seed=0):
    gen = torch.Generator().manual_seed(seed)
    images = torch.rand(num, 3, height, width, generator=gen) * 255
    feats = dict(features=torch.randn(num, channels, height, width,
                                      generator=gen))
    return feats, images


@pytest.mark.parametrize('size,cell', [((12, 16), 4), ((13, 17), 4),
                                       ((9, 11), 3)])
def test_without_the_learned_part_it_is_plain_soft_kmeans(size, cell):
    head = DifferentiableSLICHead(in_channels=4, embed_channels=3,
                                  num_iters=3, init_std=0.0).train()
    feats, images = inputs(height=size[0], width=size[1])
    assoc = head(feats, images, cell)
    padded = (math.ceil(size[0] / cell) * cell,
              math.ceil(size[1] / cell) * cell)
    assert assoc.shape == (2, 9, *padded)
    blocks, weights, grid, samples = head.pixel_features(feats, images, cell)
    assert samples is None
    assert grid == (2, padded[0] // cell, padded[1] // cell)
    assert blocks.shape == (2 * grid[1] * grid[2], 8, cell**2)
    full = from_cell_blocks(blocks, *grid, cell)
    weights = from_cell_blocks(weights, *grid, cell)
    assert (full[:, :3] == 0).all()  # no learned part
    pixels = full[:, :, :size[0], :size[1]]
    lab = 0.26 * rgb_to_lab(images)  # centred: only differences matter
    torch.testing.assert_close(pixels[:, 3:6],
                               lab - lab.mean((2, 3), keepdim=True))
    # positions from the centre, 2.5 per cell; only differences matter
    torch.testing.assert_close(pixels[0, 6, 0, 1:3] - pixels[0, 6, 0, 0],
                               torch.tensor([1., 2.]) * 2.5 / cell)
    torch.testing.assert_close(pixels[0, 7, 1:3, 0] - pixels[0, 7, 0, 0],
                               torch.tensor([1., 2.]) * 2.5 / cell)
    valid = torch.zeros(2, *padded, dtype=torch.bool)
    valid[:, :size[0], :size[1]] = True
    assert torch.equal(weights[:, 0] == 1, valid)
    expected = reference_soft_kmeans(full, valid, cell, iters=3)
    torch.testing.assert_close(assoc.double()[:, :, :size[0], :size[1]],
                               expected[:, :, :size[0], :size[1]],
                               atol=1e-4, rtol=1e-3)


def test_sampled_centres_pool_before_the_projection():
    """Eval with ``test_sample_stride``: pooling the backbone output, Lab
    and positions, then projecting, equals pooling the projected features
    (the projection is linear); padding takes no part in the samples."""
    head = DifferentiableSLICHead(in_channels=4, embed_channels=3,
                                  test_num_iters=3, init_std=0.5,
                                  test_sample_stride=2).eval()
    feats, images = inputs(height=13, width=17)
    pixels, weights, grid, samples = head.pixel_features(feats, images, 5, 2)
    full, valid = (from_cell_blocks(x, *grid, 5) for x in (pixels, weights))
    sample_weights = cell_samples(valid, 5, 2)
    expected = (cell_samples(full * valid, 5, 2) /
                sample_weights.clamp_min(1e-12), sample_weights)
    for got, want in zip(samples, expected):
        torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(
        head(feats, images, 5),
        from_cell_blocks(grid_soft_kmeans(pixels, grid, 3, weights,
                                          samples=expected), *grid, 5),
        atol=1e-5, rtol=1e-4)


def test_iterations_follow_the_mode():
    head = DifferentiableSLICHead(in_channels=4, embed_channels=3,
                                  num_iters=1, test_num_iters=4)
    feats, images = inputs()
    one = head.train()(feats, images, 4)
    four = head.eval()(feats, images, 4)
    assert not torch.allclose(one, four)
    with pytest.raises(ValueError, match='num_iters'):
        DifferentiableSLICHead(num_iters=0)


def test_gradients_reach_the_projection_and_the_backbone():
    feats, images = inputs()
    feats['features'].requires_grad_()
    target = torch.rand(2, 9, 12, 16)
    head = DifferentiableSLICHead(in_channels=4, embed_channels=3)
    (head(feats, images, 4) * target).sum().backward()
    assert head.projection.weight.grad.abs().sum() > 0
    assert feats['features'].grad.abs().sum() > 0
    # an exactly zero projection is a stationary point: why init_std > 0
    zero = DifferentiableSLICHead(in_channels=4, embed_channels=3,
                                  init_std=0.0)
    (zero(feats, images, 4) * target).sum().backward()
    assert zero.projection.weight.grad.abs().sum() == 0


def ssn_segmentor():
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(dict(
        type='SuperpixelSegmentor',
        data_preprocessor=dict(type='SegDataPreProcessor',
                               mean=[104.8, 110.2, 114.8],
                               std=[255.0, 255.0, 255.0], bgr_to_rgb=True),
        backbone=dict(type='SCNEncoderDecoder'),
        decode_head=dict(type='DifferentiableSLICHead', in_channels=16,
                         num_iters=2, test_num_iters=3)))
    model.init_weights()
    return model


def test_segmentor_clusters_full_resolution_at_any_count():
    model = ssn_segmentor().eval()
    assert model.decode_head.projection.weight.abs().max() < 0.01
    image = torch.full((1, 3, 50, 70), 90.0)  # four flat regions + noise
    image[:, :, :25, 30:] = 200.0
    image[:, 1, 25:, :40] = 20.0
    image += torch.rand(image.shape, generator=torch.Generator().manual_seed(
        0)) * 10
    inputs = model.data_preprocessor(dict(inputs=[image[0]]),
                                     False)['inputs']
    with torch.no_grad():
        few, _ = model.predict_superpixel_batch(inputs, n_segments=12)
        many, assoc = model.predict_superpixel_batch(inputs, n_segments=80)
    assert few.shape == many.shape == (1, 50, 70)
    # cells of round(sqrt(50 * 70 / 80)) = 7 px on the unresized image:
    # 8 x 10 cells, the height padded from 50 to 56
    assert assoc.shape == (1, 9, 56, 70)
    assert 6 <= len(few.unique()) < len(many.unique()) <= 2 * 80


def test_segmentor_trains_the_head():
    model = ssn_segmentor().train()
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    samples = []
    for _ in range(2):
        sample = SegDataSample()
        labels = torch.zeros(1, 32, 32, dtype=torch.long)
        labels[:, :, 16:] = 1
        sample.gt_sem_seg = PixelData(data=labels)
        samples.append(sample)
    losses = model.loss(torch.randn(2, 3, 32, 32), samples)
    assert set(losses) == {'loss_sem', 'loss_pos'}
    sum(losses.values()).backward()
    assert model.decode_head.projection.weight.grad.abs().sum() > 0
