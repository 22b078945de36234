"""Grid association ops against slow per-pixel references."""
import pytest
import torch
import torch.nn.functional as F

from mmsuperpix.ops import cell_samples, grid_soft_kmeans
from mmsuperpix.ops.grid_association import (NEIGHBOURS, association_to_labels,
                                             cell_blocks, from_cell_blocks,
                                             label_reconstruction_probability,
                                             neighbour_cell_index,
                                             pool_by_association,
                                             unpool_by_association)

S = 4


def random_assoc(n=2, h=8, w=12, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 9, h, w, generator=g, dtype=dtype).softmax(1)


def slow_pool(feat, assoc, s, eps=1e-8):
    n, c, hh, ww = feat.shape
    h, w = hh // s, ww // s
    num = torch.zeros(n, c, h, w, dtype=feat.dtype)
    den = torch.zeros(n, 1, h, w, dtype=feat.dtype)
    for b in range(n):
        for y in range(hh):
            for x in range(ww):
                for k, (dy, dx) in enumerate(NEIGHBOURS):
                    cy, cx = y // s + dy, x // s + dx
                    if 0 <= cy < h and 0 <= cx < w:
                        num[b, :, cy, cx] += assoc[b, k, y, x] * feat[b, :, y,
                                                                      x]
                        den[b, 0, cy, cx] += assoc[b, k, y, x]
    return num / (den + eps)


def slow_unpool(cell, assoc, s):
    n, c, h, w = cell.shape
    out = torch.zeros(n, c, h * s, w * s, dtype=cell.dtype)
    for b in range(n):
        for y in range(h * s):
            for x in range(w * s):
                for k, (dy, dx) in enumerate(NEIGHBOURS):
                    cy, cx = y // s + dy, x // s + dx
                    if 0 <= cy < h and 0 <= cx < w:
                        out[b, :, y, x] += assoc[b, k, y, x] * cell[b, :, cy,
                                                                    cx]
    return out


def test_neighbour_order_is_tl_t_tr_l_c_r_bl_b_br():
    assert NEIGHBOURS == ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 0), (0, 1),
                          (1, -1), (1, 0), (1, 1))


def test_pool_and_unpool_match_slow_references():
    assoc = random_assoc()
    feat = torch.randn(2, 3, 8, 12, dtype=torch.float64)
    cells = pool_by_association(feat, assoc, S)
    torch.testing.assert_close(cells, slow_pool(feat, assoc, S))
    torch.testing.assert_close(
        unpool_by_association(cells, assoc, S), slow_unpool(cells, assoc, S))


def test_pool_of_a_constant_map_is_that_constant():
    assoc = random_assoc()
    feat = torch.full((2, 2, 8, 12), 3.5, dtype=torch.float64)
    torch.testing.assert_close(pool_by_association(feat, assoc, S),
                               torch.full((2, 2, 2, 3), 3.5,
                                          dtype=torch.float64))


def test_unpool_of_constant_cells_loses_only_outside_mass():
    assoc = random_assoc()
    cells = torch.ones(2, 1, 2, 3, dtype=torch.float64)
    out = unpool_by_association(cells, assoc, S)
    # interior pixels of a 2x3 grid do not exist at S=4 with 8x12: every
    # pixel touches the border, so compare with the valid mass directly
    from mmsuperpix.ops.grid_association import neighbour_cell_index
    _, valid = neighbour_cell_index(8, 12, S)
    torch.testing.assert_close(out[:, 0], (assoc * valid).sum(1))


@pytest.mark.parametrize('labels_offset', [0, 7])
def test_label_reconstruction_equals_dense_one_hot_pooling(labels_offset):
    assoc = random_assoc(seed=3)
    g = torch.Generator().manual_seed(1)
    labels = torch.randint(0, 5, (2, 8, 12), generator=g) * 10 + labels_offset
    ids = labels.unique()
    onehot = (labels[:, None] == ids[None, :, None, None]).double()
    rec = unpool_by_association(pool_by_association(onehot, assoc, S), assoc,
                                S)
    expected = rec.gather(1, torch.searchsorted(ids, labels)[:, None])[:, 0]
    torch.testing.assert_close(
        label_reconstruction_probability(labels, assoc, S), expected)


def test_gradients_flow_and_match_finite_differences():
    assoc_logits = torch.randn(1, 9, 8, 8, dtype=torch.float64,
                               requires_grad=True)
    feat = torch.randn(1, 2, 8, 8, dtype=torch.float64, requires_grad=True)
    labels = torch.randint(0, 3, (1, 8, 8))

    def pooled(a, f):
        q = a.softmax(1)
        return unpool_by_association(pool_by_association(f, q, S), q, S)

    assert torch.autograd.gradcheck(pooled, (assoc_logits, feat))
    assert torch.autograd.gradcheck(
        lambda a: label_reconstruction_probability(labels, a.softmax(1), S),
        (assoc_logits, ))


def test_hard_labels_pick_the_argmax_neighbour():
    assoc = torch.zeros(1, 9, 8, 12)
    assoc[:, 8] = 1.0  # everyone prefers the bottom-right neighbour
    labels = association_to_labels(assoc, S)[0]
    # pixel (0, 0): cell (0, 0) -> BR is cell (1, 1) -> id 1 * 3 + 1 = 4
    assert labels[0, 0] == 4
    # bottom row / right column cells have no BR: next best is slot 0 (TL)
    assert labels[7, 11] == 0 * 3 + 1  # cell (1, 2): TL = cell (0, 1)
    assert labels.min() >= 0 and labels.max() < 6


def test_hard_labels_of_a_centre_association_are_the_grid():
    assoc = torch.zeros(2, 9, 8, 12)
    assoc[:, 4] = 1.0
    labels = association_to_labels(assoc, S)
    expected = (torch.arange(8)[:, None] // S) * 3 + torch.arange(12) // S
    assert torch.equal(labels, expected.expand(2, -1, -1))


@pytest.mark.parametrize('shape,message', [
    ((1, 8, 8, 8), r'\(N, 9, H, W\)'),
    ((1, 9, 8, 10), 'not a multiple of the cell size 4'),
])
def test_bad_association_shapes(shape, message):
    with pytest.raises(ValueError, match=message):
        association_to_labels(torch.zeros(shape), S)


def test_mismatched_feature_size():
    with pytest.raises(ValueError, match='does not match'):
        pool_by_association(torch.zeros(1, 2, 4, 4), random_assoc(1), S)


def test_hard_labels_equal_the_masked_argmax_reference():
    """The fast path (argmax, then fix border pixels that chose a missing
    neighbour) equals argmax over the valid neighbours only."""
    assoc = random_assoc(n=3, h=12, w=16, seed=3, dtype=torch.float32)
    h, w = 12 // S, 16 // S
    rows = torch.arange(12)[:, None] // S
    cols = torch.arange(16)[None] // S
    scores, ids = [], []
    for dy, dx in NEIGHBOURS:
        r, c = rows + dy, cols + dx
        inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
        scores.append(assoc[:, len(ids)].masked_fill(~inside, -1.0))
        ids.append((r * w + c).expand(12, 16))
    best = torch.stack(scores, 1).argmax(1)
    expected = torch.stack(ids)[None].expand(3, -1, -1, -1).gather(
        1, best[:, None])[:, 0]
    assert torch.equal(association_to_labels(assoc, S), expected)


def image_soft_kmeans(feat, cell, iters, valid=None, sample_stride=1):
    """grid_soft_kmeans on an image-layout map ``(N, C, H, W)``."""
    num, _, height, width = feat.shape
    grid = (num, height // cell, width // cell)
    weights = None if valid is None else cell_blocks(valid, cell)
    samples = None
    if sample_stride > 1:
        valid = torch.ones_like(feat[:, :1]) if valid is None else valid
        sample_weights = cell_samples(valid, cell, sample_stride)
        samples = (cell_samples(feat * valid, cell, sample_stride) /
                   sample_weights.clamp_min(1e-12), sample_weights)
    assoc = grid_soft_kmeans(cell_blocks(feat, cell), grid, iters, weights,
                             samples=samples)
    return from_cell_blocks(assoc, *grid, cell)


def test_grid_soft_kmeans_contract():
    feat = torch.randn(2, 5, 8, 12)
    assoc = image_soft_kmeans(feat, 4, 3)
    assert assoc.shape == (2, 9, 8, 12)
    torch.testing.assert_close(assoc.sum(1), torch.ones(2, 8, 12))
    _, valid = neighbour_cell_index(8, 12, 4)
    assert (assoc[:, ~valid] == 0).all()  # never a cell outside the grid
    # one well-separated cluster per cell: every pixel picks its own cell
    cells = torch.arange(6.).view(1, 1, 2, 3) * 100
    own = cells.repeat_interleave(4, 2).repeat_interleave(4, 3)
    assert (image_soft_kmeans(own, 4, 2).argmax(1) == 4).all()
    pixels = cell_blocks(feat, 4)
    with pytest.raises(ValueError, match='num_iters'):
        grid_soft_kmeans(pixels, (2, 2, 3), 0)
    with pytest.raises(ValueError, match=r'\(N \* h \* w, C, S \* S\)'):
        grid_soft_kmeans(pixels, (2, 3, 3), 1)
    with pytest.raises(ValueError, match='samples must be'):
        grid_soft_kmeans(pixels, (2, 2, 3), 1,
                         samples=(pixels, torch.ones(12, 1, 4)))
    with pytest.raises(ValueError, match='sample_stride'):
        cell_samples(feat, 4, 0)


def test_grid_soft_kmeans_sampled_centres():
    # features constant on 2x2 blocks: the pooled samples are the pixels'
    # values with equal weights, so stride 2 changes nothing
    blocks = torch.randn(2, 5, 6, 9)
    feat = blocks.repeat_interleave(2, 2).repeat_interleave(2, 3)
    torch.testing.assert_close(
        image_soft_kmeans(feat, 6, 4, sample_stride=2),
        image_soft_kmeans(feat, 6, 4))
    # odd cells (5 px, 3 overlapping bins per side): padding still takes no
    # part in the centres, so changing it leaves the valid pixels' result
    feat = torch.randn(1, 4, 10, 15)
    valid = torch.ones(1, 1, 10, 15)
    valid[..., 8:, :] = valid[..., :, 13:] = 0
    other = torch.where(valid.bool(), feat, 100 * torch.randn_like(feat))
    first, second = (image_soft_kmeans(f, 5, 3, valid, sample_stride=2)
                     for f in (feat, other))
    mask = valid.bool().expand_as(first)
    torch.testing.assert_close(first[mask], second[mask])
    torch.testing.assert_close(first.sum(1), torch.ones(1, 10, 15))


def test_cell_samples_are_each_cells_own_pooling_bins():
    maps = torch.randn(2, 3, 20, 20)
    for cell, stride in ((5, 2), (5, 3), (4, 2)):
        side = -(-cell // stride)
        blocks = cell_blocks(maps, cell)
        expected = F.adaptive_avg_pool2d(
            blocks.view(-1, 3, cell, cell), side).flatten(2)
        torch.testing.assert_close(cell_samples(maps, cell, stride),
                                   expected)
    assert torch.equal(cell_samples(maps, 5, 1), cell_blocks(maps, 5))
