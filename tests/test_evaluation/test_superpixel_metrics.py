"""Tests of the functional superpixel benchmark metrics."""
import math
from collections import Counter

import numpy as np
import pytest

from mmsuperpix.evaluation.functional import (METRIC_KEYS, boundary_map,
                                              default_tolerance,
                                              superpixel_metrics)

# Four 2x2 quadrant superpixels S0 S1 / S2 S3.
QUADS = np.array([[0, 0, 1, 1],
                  [0, 0, 1, 1],
                  [2, 2, 3, 3],
                  [2, 2, 3, 3]])
# G0 = the left three columns (12 px), G1 = the right column (4 px).
STRIPE = np.array([[0, 0, 0, 1]] * 4)


def reference_metrics(sp, gt, image=None, r=None):
    """Slow, literal transcription of the definitions (loops everywhere)."""
    h, w = sp.shape
    n = h * w
    if r is None:
        r = int(math.floor(0.0025 * math.sqrt(h * h + w * w) + 0.5))

    def is_boundary(lab, y, x):
        for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            yy, xx = y + dy, x + dx
            if 0 <= yy < h and 0 <= xx < w and lab[yy, xx] != lab[y, x]:
                return True
        return False

    def any_boundary_near(lab, y, x):
        for yy in range(max(0, y - r), min(h - 1, y + r) + 1):
            for xx in range(max(0, x - r), min(w - 1, x + r) + 1):
                if is_boundary(lab, yy, xx):
                    return True
        return False

    tp = fn = fp = 0
    for y in range(h):
        for x in range(w):
            if is_boundary(gt, y, x):
                if any_boundary_near(sp, y, x):
                    tp += 1
                else:
                    fn += 1
            elif is_boundary(sp, y, x) and not any_boundary_near(gt, y, x):
                fp += 1
    br = tp / (tp + fn) if tp + fn else 1.0
    bp = tp / (tp + fp) if tp + fp else 1.0

    inter = Counter()
    sp_size, gt_size = Counter(), Counter()
    for s, g in zip(sp.ravel().tolist(), gt.ravel().tolist()):
        inter[s, g] += 1
        sp_size[s] += 1
        gt_size[g] += 1
    asa = sum(max(inter[s, g] for g in gt_size) for s in sp_size) / n
    ue_np = ue_levin = 0.0
    for g in gt_size:
        covered = 0
        for s in sp_size:
            if inter[s, g] > 0:
                ue_np += min(inter[s, g], sp_size[s] - inter[s, g])
                covered += sp_size[s]
        ue_levin += (covered - gt_size[g]) / gt_size[g]
    ue_np /= n
    ue_levin /= len(gt_size)

    perimeter = Counter()
    for y in range(h):
        for x in range(w):
            for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                yy, xx = y + dy, x + dx
                if not (0 <= yy < h and 0 <= xx < w) or sp[yy, xx] != sp[y,
                                                                          x]:
                    perimeter[sp[y, x]] += 1
    co = sum(sp_size[s] / n * 4 * math.pi * sp_size[s] / perimeter[s]**2
             for s in sp_size)

    ev = float('nan')
    if image is not None:
        img = image.astype(np.float64)
        above = below = 0.0
        for c in range(3):
            mu = img[..., c].mean()
            means = {s: img[..., c][sp == s].mean() for s in sp_size}
            for y in range(h):
                for x in range(w):
                    above += (means[sp[y, x]] - mu)**2
                    below += (img[y, x, c] - mu)**2
        ev = above / below if below else float('nan')
    return dict(asa=asa, br=br, bp=bp, ue_np=ue_np, ue_levin=ue_levin,
                co=co, ev=ev, n_superpixels=float(len(sp_size)))


def assert_metrics_equal(got, want):
    assert list(got) == list(METRIC_KEYS)
    for key in METRIC_KEYS:
        assert isinstance(got[key], float), key
        np.testing.assert_allclose(got[key], want[key], rtol=1e-10,
                                   atol=1e-12, err_msg=key)


def test_hand_computed_quadrants_vs_stripe():
    out = superpixel_metrics(QUADS, STRIPE, tolerance=0)
    assert list(out) == list(METRIC_KEYS)
    # Intersections: S0: G0 4 | S1: G0 2, G1 2 | S2: G0 4 | S3: G0 2, G1 2.
    # ASA = (4 + 2 + 4 + 2) / 16.
    assert out['asa'] == pytest.approx(12 / 16)
    # UE_NP: G0: min(4,0)+min(2,2)+min(4,0)+min(2,2) = 4, G1: 2+2 = 4.
    assert out['ue_np'] == pytest.approx(8 / 16)
    # UE_Levin: G0 covered by all four (16 px): (16-12)/12 = 1/3;
    # G1 covered by S1, S3 (8 px): (8-4)/4 = 1; mean 2/3.
    assert out['ue_levin'] == pytest.approx(2 / 3)
    # Each 2x2 square has perimeter 8: 4π·4/64 = π/4, weights sum to 1.
    assert out['co'] == pytest.approx(math.pi / 4)
    # GT boundary: columns 2 and 3 (8 px). SP boundary: rows 1, 2 and
    # columns 1, 2 (all but the 4 corners). r = 0: GT column 2 (4 px) and
    # (1,3), (2,3) are hits, (0,3), (3,3) misses -> BR = 6/8.
    assert out['br'] == pytest.approx(6 / 8)
    # FP: SP boundary pixels off the GT boundary: column 1 (4 px) plus
    # (1,0), (2,0) = 6 -> BP = 6 / (6 + 6).
    assert out['bp'] == pytest.approx(0.5)
    assert math.isnan(out['ev'])
    assert out['n_superpixels'] == 4.0


def test_hand_computed_tolerance_one():
    out = superpixel_metrics(QUADS, STRIPE, tolerance=1)
    # (0,3) and (3,3) now see the SP boundary at (0,2), (3,2): BR = 8/8.
    assert out['br'] == 1.0
    # Column 1 is within 1 px of GT column 2; only (1,0), (2,0) are FP.
    assert out['bp'] == pytest.approx(8 / 10)
    # Region metrics do not depend on the tolerance.
    assert out['asa'] == pytest.approx(0.75)


def test_hand_computed_explained_variation():
    x = np.array([[0, 2, 2, 2],
                  [0, 2, 2, 2],
                  [4, 6, 8, 8],
                  [4, 6, 8, 8]], np.uint8)
    image = np.stack([x, 2 * x, np.full_like(x, 7)], axis=-1)
    # Channel 0: superpixel means 1, 2, 5, 8, image mean 4.
    # above = 4·(9 + 4 + 1 + 16) = 120;
    # below = (16+16+4+4) + 4·4 + (0+0+4+4) + 4·16 = 128.
    # Channel 1 (2x) gives 4·120 and 4·128; channel 2 is constant (0, 0).
    out = superpixel_metrics(QUADS, STRIPE, image)
    assert out['ev'] == pytest.approx(600 / 640)
    # A constant image has no variation: EV is undefined.
    flat = np.full((4, 4, 3), 9, np.uint8)
    assert math.isnan(superpixel_metrics(QUADS, STRIPE, flat)['ev'])


def test_compactness_shapes():
    # Two 1x3 rows: area 3, perimeter 8 -> 4π·3/64 each, weights 1/2.
    rows = np.array([[0, 0, 0], [1, 1, 1]])
    gt = np.zeros((2, 3), int)
    assert superpixel_metrics(rows, gt)['co'] == pytest.approx(
        3 * math.pi / 16)
    # One superpixel over the 2x3 image: perimeter 10, 4π·6/100.
    assert superpixel_metrics(gt, gt)['co'] == pytest.approx(0.24 * math.pi)
    # A k x k square: 4πk²/(4k)² = π/4 for any k (here a 4x4 grid of 5x5).
    grid = np.kron(np.arange(16).reshape(4, 4), np.ones((5, 5), int))
    assert superpixel_metrics(grid, grid)['co'] == pytest.approx(math.pi / 4)


def test_boundary_map_and_tolerance():
    expected = np.array([[0, 1, 1, 0],
                         [1, 1, 1, 1],
                         [1, 1, 1, 1],
                         [0, 1, 1, 0]], bool)
    np.testing.assert_array_equal(boundary_map(QUADS), expected)
    np.testing.assert_array_equal(boundary_map(STRIPE),
                                  np.array([[0, 0, 1, 1]] * 4, bool))
    assert not boundary_map(np.zeros((3, 5), int)).any()
    assert default_tolerance(321, 481) == 1  # BSDS500
    assert default_tolerance(448, 608) == 2  # NYUv2
    assert default_tolerance(4, 4) == 0
    assert default_tolerance(120, 160) == 1  # 0.5: std::round, not to even


def test_identity_is_perfect():
    rng = np.random.default_rng(0)
    gt = np.kron(rng.integers(0, 5, (6, 8)), np.ones((4, 4), int))
    out = superpixel_metrics(gt, gt)
    assert out['asa'] == 1.0
    assert out['ue_np'] == 0.0
    assert out['ue_levin'] == 0.0
    assert out['br'] == 1.0
    assert out['bp'] == 1.0


def test_single_superpixel_and_flat_ground_truth():
    one = np.zeros(QUADS.shape, int)
    out = superpixel_metrics(one, STRIPE, tolerance=1)
    assert out['br'] == 0.0
    assert out['bp'] == 1.0  # TP + FP == 0: defined as 1
    assert out['asa'] == pytest.approx(12 / 16)
    assert out['ue_np'] == pytest.approx((4 + 4) / 16)  # min(12,4)+min(4,12)
    assert out['n_superpixels'] == 1.0
    # A GT without boundary: BR is defined as 1; every SP boundary is a FP.
    out = superpixel_metrics(QUADS, one, tolerance=1)
    assert out['br'] == 1.0
    assert out['bp'] == 0.0
    assert out['asa'] == 1.0
    assert out['ue_np'] == pytest.approx(0.0)
    assert out['ue_levin'] == pytest.approx(0.0)


def test_relabelling_changes_nothing():
    rng = np.random.default_rng(1)
    sp = np.kron(rng.integers(0, 9, (5, 7)), np.ones((3, 3), int))
    gt = np.kron(rng.integers(0, 4, (3, 7)), np.ones((5, 3), int))
    image = rng.integers(0, 256, sp.shape + (3, ), np.uint8)
    want = superpixel_metrics(sp, gt, image)
    perm = rng.permutation(100)
    variants = [
        (perm[sp] * 1000 + 7, gt.astype(np.uint16)),  # gaps, other dtype
        (sp - 50, gt * -3),  # negative ids
        (sp.astype(np.int64) * 10**12, gt + 10**9),  # huge ids
        (sp.astype(np.uint64), (gt == 0)),  # unsigned, boolean
    ]
    for sp2, gt2 in variants:
        if gt2.dtype == bool:
            ref = superpixel_metrics(sp, (gt == 0).astype(int), image)
        else:
            ref = want
        assert_metrics_equal(superpixel_metrics(sp2, gt2, image), ref)


@pytest.mark.parametrize('seed', range(6))
def test_against_loop_reference(seed):
    rng = np.random.default_rng(seed)
    h, w = rng.integers(5, 16, 2)
    block = int(rng.integers(1, 4))
    sp = np.kron(rng.integers(0, 12, (h, w)), np.ones((block, 1), int))
    if seed % 2:
        gt = rng.integers(0, 4, sp.shape)
    else:
        coarse = rng.integers(0, 5, (sp.shape[0] // 2 + 1, w // 2 + 1))
        gt = np.kron(coarse, np.ones((2, 2), int))[:sp.shape[0], :w]
    image = rng.integers(0, 256, sp.shape + (3, ), np.uint8)
    for r in (None, 0, 1, 2):
        got = superpixel_metrics(sp, gt, image, tolerance=r)
        assert_metrics_equal(got, reference_metrics(sp, gt, image, r))


def test_many_labels_sparse_contingency():
    # 1600 labels on both sides: the contingency table goes sparse.
    rng = np.random.default_rng(3)
    sp = rng.permutation(1600).reshape(40, 40)
    gt = rng.permutation(1600).reshape(40, 40) // 2
    gt[:, :5] = sp[:, :5]
    got = superpixel_metrics(sp, gt, tolerance=1)
    assert_metrics_equal(got, reference_metrics(sp, gt, None, 1))


def test_thin_maps():
    for shape in ((1, 7), (7, 1), (1, 1)):
        rng = np.random.default_rng(0)
        sp = rng.integers(0, 3, shape)
        gt = rng.integers(0, 2, shape)
        assert_metrics_equal(
            superpixel_metrics(sp, gt, tolerance=1),
            reference_metrics(sp, gt, None, 1))


def test_clear_errors():
    with pytest.raises(ValueError, match=r'\(H, W\).*squeeze'):
        superpixel_metrics(QUADS[None], STRIPE)
    with pytest.raises(ValueError, match='same'):
        superpixel_metrics(QUADS, STRIPE[:, :3])
    with pytest.raises(TypeError, match='integer labels.*astype'):
        superpixel_metrics(QUADS.astype(np.float32), STRIPE)
    with pytest.raises(ValueError, match='empty'):
        superpixel_metrics(np.zeros((0, 4), int), np.zeros((0, 4), int))
    image = np.zeros((4, 4, 3))
    image[1, 2, 0] = np.nan
    with pytest.raises(ValueError, match='NaN'):
        superpixel_metrics(QUADS, STRIPE, image)
    with pytest.raises(ValueError, match=r'\(H, W, 3\)'):
        superpixel_metrics(QUADS, STRIPE, np.zeros((3, 4, 4), np.uint8))
    with pytest.raises(ValueError, match='non-negative int'):
        superpixel_metrics(QUADS, STRIPE, tolerance=-1)
    with pytest.raises(ValueError, match='non-negative int'):
        superpixel_metrics(QUADS, STRIPE, tolerance=1.5)
    with pytest.raises(ValueError, match=r'\(H, W\)'):
        boundary_map(np.zeros(5))
