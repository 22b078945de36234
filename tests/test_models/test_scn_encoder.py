"""SCN's encoder as a backbone, with a trained superpixel model's weights."""
import pytest
import torch
from mmengine.registry import init_default_scope

from mmsuperpix.registry import MODELS
from mmsuperpix.superpixels import DEFAULT_CHECKPOINT


def test_levels_and_the_shipped_weights():
    init_default_scope('mmseg')
    encoder = MODELS.build(dict(
        type='SCNEncoder', out_indices=(3, 4),
        init_cfg=dict(type='Pretrained', checkpoint=DEFAULT_CHECKPOINT,
                      prefix='backbone.')))
    encoder.init_weights()
    shipped = torch.load(DEFAULT_CHECKPOINT, weights_only=True)['state_dict']
    weight = encoder.encoder[0][0][0].weight
    assert torch.equal(weight, shipped['backbone.encoder.0.0.0.weight']
                       .to(weight.dtype))
    encoder.eval()
    outs = encoder(torch.randn(2, 3, 64, 96))
    assert [o.shape for o in outs] == [(2, 128, 8, 12), (2, 256, 4, 6)]


def test_bad_levels_and_sizes():
    with pytest.raises(ValueError, match='out_indices'):
        MODELS.build(dict(type='SCNEncoder', out_indices=(5, )))
    encoder = MODELS.build(dict(type='SCNEncoder', out_indices=(1, )))
    with pytest.raises(ValueError, match='multiple of 16'):
        encoder(torch.randn(1, 3, 20, 32))
