"""Tests of the SuperpixelMetric mmengine metric."""
import math
import sys

import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

import mmsuperpix.evaluation  # noqa: F401
from mmsuperpix.evaluation import superpixel_metrics
from mmsuperpix.registry import METRICS

KEYS = ('asa', 'br', 'bp', 'ue_np', 'ue_levin', 'co', 'ev')


@pytest.fixture
def metric():
    init_default_scope('mmseg')
    return METRICS.build(dict(type='SuperpixelMetric'))


def make_image(rng, h, w, n_ann):
    """Superpixels (H, W), annotations (A, H, W) and a BGR image (H, W, 3)."""
    sp = np.kron(rng.integers(0, 30, (h // 4 + 1, w // 4 + 1)),
                 np.ones((4, 4), np.int64))[:h, :w]
    gts = np.stack([
        np.kron(rng.integers(0, 4, (h // 8 + 1, w // 8 + 1)),
                np.ones((8, 8), np.int64))[:h, :w] for _ in range(n_ann)
    ])
    image = rng.integers(0, 256, (h, w, 3), np.uint8)
    return sp, gts, image


def sample(sp, gts=None, sem=None):
    out = dict(pred_sp_seg=dict(data=torch.from_numpy(sp)[None]))
    if gts is not None:
        out['gt_annotations'] = dict(data=torch.from_numpy(gts))
    if sem is not None:
        out['gt_sem_seg'] = dict(data=torch.from_numpy(sem)[None])
    return out


def direct_means(images):
    pairs = [
        superpixel_metrics(sp, gt, image) for sp, gts, image in images
        for gt in gts
    ]
    want = {key: np.mean([p[key] for p in pairs]) for key in KEYS}
    want['n_superpixels'] = np.mean(
        [len(np.unique(sp)) for sp, _, _ in images])
    return want


def test_means_over_all_pairs(metric):
    rng = np.random.default_rng(0)
    images = [make_image(rng, 40, 56, a) for a in (3, 5, 1)]
    # Two batches: images 0-1, then image 2 (the inputs as a list).
    for batch in (images[:2], images[2:]):
        data_batch = dict(inputs=[
            torch.from_numpy(image.transpose(2, 0, 1).copy())
            for _, _, image in batch
        ])
        metric.process(data_batch, [sample(sp, gts) for sp, gts, _ in batch])
    got = metric.evaluate(len(images))
    want = direct_means(images)
    assert set(got) == set(want)
    for key, value in want.items():
        assert isinstance(got[key], float)
        np.testing.assert_allclose(got[key], value, rtol=1e-12, err_msg=key)


def test_pairs_weigh_equally(metric):
    # Image A: one annotation equal to the superpixels (ASA 1). Image B: one
    # superpixel against 3 two-halves annotations (ASA 1/2 each).
    # Pair mean (1 + 3 * 0.5) / 4 = 0.625, not the image mean 0.75.
    halves = np.repeat(np.arange(2), 8 * 4).reshape(8, 8)
    metric.process({}, [sample(halves, halves[None])])
    metric.process({}, [sample(np.zeros_like(halves), np.stack([halves] * 3))])
    got = metric.evaluate(2)
    assert got['asa'] == pytest.approx(0.625)
    assert got['n_superpixels'] == pytest.approx(1.5)


def test_fallback_to_gt_sem_seg_and_stacked_inputs(metric):
    rng = np.random.default_rng(1)
    sp, gts, image = make_image(rng, 33, 47, 1)
    inputs = torch.from_numpy(image.transpose(2, 0, 1).copy())[None]
    metric.process(dict(inputs=inputs), [sample(sp, sem=gts[0])])
    got = metric.evaluate(1)
    want = superpixel_metrics(sp, gts[0], image)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], err_msg=key)
    # gt_annotations wins over gt_sem_seg when both are present.
    metric.process(dict(inputs=inputs),
                   [sample(sp, gts=gts, sem=np.zeros_like(sp))])
    assert metric.evaluate(1)['asa'] == pytest.approx(want['asa'])


def test_ev_nan_on_resized_inputs_warns_once(metric, monkeypatch):
    module = sys.modules[type(metric).__module__]
    calls = []
    original = module.print_log

    def spy(msg, *args, **kwargs):
        calls.append(msg)
        return original(msg, *args, **kwargs)

    monkeypatch.setattr(module, 'print_log', spy)
    rng = np.random.default_rng(2)
    good = make_image(rng, 24, 32, 2)
    bad = make_image(rng, 24, 32, 2)
    resized = torch.zeros(3, 12, 16, dtype=torch.uint8)
    for _ in range(2):
        metric.process(dict(inputs=[resized]),
                       [sample(bad[0], bad[1])])
    metric.process(
        dict(inputs=[torch.from_numpy(good[2].transpose(2, 0, 1).copy())]),
        [sample(good[0], good[1])])
    got = metric.evaluate(3)
    assert sum('explained variation' in str(c) for c in calls) == 1
    # EV is averaged over the pairs with a usable image only.
    want = np.mean([superpixel_metrics(good[0], g, good[2])['ev']
                    for g in good[1]])
    assert got['ev'] == pytest.approx(want)
    # The table is printed.
    assert any('UE_Levin' in str(c) for c in calls)


def test_no_image_gives_nan_ev(metric):
    rng = np.random.default_rng(3)
    sp, gts, _ = make_image(rng, 16, 16, 2)
    metric.process(None, [sample(sp, gts)])
    got = metric.evaluate(1)
    assert math.isnan(got['ev'])
    assert got['asa'] == pytest.approx(
        np.mean([superpixel_metrics(sp, g)['asa'] for g in gts]))


def test_tolerance_and_prefix():
    init_default_scope('mmseg')
    metric = METRICS.build(
        dict(type='SuperpixelMetric', tolerance=0, prefix='sp'))
    rng = np.random.default_rng(4)
    sp, gts, _ = make_image(rng, 20, 20, 1)
    metric.process({}, [sample(sp, gts)])
    got = metric.evaluate(1)
    assert got['sp/br'] == pytest.approx(
        superpixel_metrics(sp, gts[0], tolerance=0)['br'])
    with pytest.raises(ValueError, match='tolerance'):
        METRICS.build(dict(type='SuperpixelMetric', tolerance=-2))


def test_through_evaluator_with_seg_data_samples():
    from mmengine.evaluator import Evaluator
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    init_default_scope('mmseg')
    evaluator = Evaluator(dict(type='SuperpixelMetric'))
    rng = np.random.default_rng(5)
    sp, gts, image = make_image(rng, 24, 40, 3)
    ds = SegDataSample()
    ds.pred_sp_seg = PixelData(data=torch.from_numpy(sp)[None])
    ds.gt_annotations = PixelData(data=torch.from_numpy(gts))
    data_batch = dict(
        inputs=[torch.from_numpy(image.transpose(2, 0, 1).copy())],
        data_samples=[ds])
    evaluator.process([ds], data_batch)
    got = evaluator.evaluate(1)
    want = direct_means([(sp, gts, image)])
    for key, value in want.items():
        np.testing.assert_allclose(got[key], value, err_msg=key)


def test_clear_errors(metric):
    rng = np.random.default_rng(6)
    sp, gts, _ = make_image(rng, 16, 16, 1)
    with pytest.raises(KeyError, match='gt_annotations'):
        metric.process({}, [sample(sp)])
    with pytest.raises(KeyError, match='pred_sp_seg'):
        metric.process({}, [dict(gt_sem_seg=dict(data=torch.zeros(1, 4, 4)))])
    with pytest.raises(ValueError, match='same'):
        metric.process({}, [sample(sp, gts[:, :8])])
