"""SuperpixelSegmentor: losses, the BPL stage switch and SCN's protocol."""
import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from scipy import ndimage

import mmsuperpix  # noqa: F401
from mmsuperpix.superpixels import grid_shape
from mmsuperpix.registry import MODELS

init_default_scope('mmseg')


def build(backbone='AINetEncoderDecoder', **kwargs):
    cfg = dict(
        type='SuperpixelSegmentor',
        backbone=dict(type=backbone),
        loss_boundary=dict(type='BoundaryPerceivingLoss'),
        train_cfg=dict(boundary_loss_start_iter=10),
        test_cfg=dict(n_segments=12),
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[104.8, 110.2, 114.8],
            std=[255.0] * 3,
            bgr_to_rgb=True,
            size_divisor=16))
    cfg.update(kwargs)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def batch(n=2, h=48, w=64):
    g = torch.Generator().manual_seed(0)
    inputs, samples = [], []
    for _ in range(n):
        inputs.append(torch.randint(0, 256, (3, h, w), generator=g,
                                    dtype=torch.uint8))
        labels = torch.zeros(1, h, w, dtype=torch.long)
        labels[:, :, w // 3:] = 1
        labels[:, h // 2:, :] += 2
        sample = SegDataSample(gt_sem_seg=PixelData(data=labels))
        sample.set_metainfo(dict(img_shape=(h, w), ori_shape=(h, w)))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


@pytest.mark.parametrize('iteration,expected', [
    (0, {'loss_sem', 'loss_pos'}),
    (10, {'loss_sem', 'loss_pos', 'loss_bpl'}),
])
def test_losses_and_the_fine_tuning_switch(iteration, expected):
    model = build()
    MessageHub.get_current_instance().update_info('iter', iteration)
    data = model.data_preprocessor(batch(), True)
    losses = model(**data, mode='loss')
    assert set(losses) == expected
    total = sum(losses.values())
    total.backward()
    grads = [p.grad for p in model.backbone.implantation.parameters()]
    assert all(g is not None and g.abs().sum() > 0 for g in grads)
    MessageHub.get_current_instance().update_info('iter', 0)


@pytest.mark.parametrize('backbone', ['SCNEncoderDecoder',
                                      'AINetEncoderDecoder'])
def test_predict_gives_connected_superpixels_at_the_original_size(backbone):
    model = build(backbone).eval()
    data = model.data_preprocessor(batch(n=1, h=50, w=70), False)
    with torch.no_grad():
        sample = model(**data, mode='predict')[0]
    labels = sample.pred_sp_seg.data[0].numpy()
    assert labels.shape == (50, 70) and labels.dtype == np.int32
    ids = np.unique(labels)
    assert np.array_equal(ids, np.arange(len(ids)))
    for i in ids:  # every superpixel is one 4-connected region
        assert ndimage.label(labels == i)[1] == 1
    inputs = model.data_preprocessor(batch(n=1), False)['inputs']
    assert model(inputs, mode='tensor').shape == (1, 9, 48, 64)


def test_predict_superpixel_batch_follows_n_segments():
    model = build('SCNEncoderDecoder').eval()
    image = torch.randn(1, 3, 96, 144)
    with torch.no_grad():
        few, _ = model.predict_superpixel_batch(image, n_segments=6,
                                                out_shape=(96, 144))
        many, assoc = model.predict_superpixel_batch(image, n_segments=54)
    assert few.shape == many.shape == (1, 96, 144)
    assert len(few.unique()) < len(many.unique())
    assert assoc.shape[:2] == (1, 9)


@pytest.mark.parametrize('size,n,expected', [
    ((321, 481), 600, (20, 30)),
    ((481, 321), 600, (30, 20)),
    ((321, 481), 54, (6, 9)),
    ((321, 481), 1944, (36, 54)),
    ((10, 1000), 1, (1, 1)),
])
def test_grid_shape_reproduces_scns_grids(size, n, expected):
    assert grid_shape(*size, n) == expected


def test_empty_batch_is_refused():
    model = build()
    with pytest.raises(ValueError, match='empty batch'):
        model.loss(torch.zeros(0, 3, 32, 32), [])
