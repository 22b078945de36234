"""The k-means baseline head: fitted on frozen tokens, nearest-centre
predictions, no gradient training."""
import pytest
import torch
from mmengine import ConfigDict
from mmengine.registry import init_default_scope

from mmsuperpix.apis import fit_kmeans_head
from mmsuperpix.registry import MODELS

D, K, SIZE = 16, 4, 32


def build():
    init_default_scope('mmseg')
    model = MODELS.build(dict(
        type='NeuralEFSegmentor',
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[127.5] * 3,
                               std=[127.5] * 3, size=(SIZE, SIZE)),
        backbone=dict(type='VisionTransformer', img_size=(SIZE, SIZE),
                      patch_size=8, embed_dims=D, num_layers=2, num_heads=2,
                      out_indices=(1, ), final_norm=True),
        decode_head=dict(type='KMeansHead', in_channels=D, num_classes=K,
                         num_iters=20),
        test_cfg=ConfigDict(mode='whole')))
    model.init_weights()
    return model


def loader(batches=3, size=2):
    torch.manual_seed(0)
    return [dict(inputs=[torch.randint(0, 255, (3, SIZE, SIZE),
                                       dtype=torch.uint8)
                         for _ in range(size)]) for _ in range(batches)]


def test_fit_then_predict_the_nearest_centre():
    model = build()
    head = model.decode_head
    with pytest.raises(RuntimeError, match='no centres yet'):
        head([torch.zeros(1, D, 4, 4)])
    count = fit_kmeans_head(model, loader(), tokens_per_image=10,
                            progress=False)
    assert count == 3 * 2 * 10 and bool(head.fitted)
    assert set(model.state_dict()) >= {'decode_head.centres',
                                       'decode_head.fitted'}
    features = [torch.randn(2, D, 4, 4)]
    logits = head(features)
    assert logits.shape == (2, K, 4, 4)
    tokens = torch.nn.functional.normalize(
        features[0].flatten(2).transpose(1, 2), dim=2)
    nearest = (tokens @ head.centres.T).argmax(2).view(2, 4, 4)
    assert torch.equal(logits.argmax(1), nearest)


def test_no_gradient_training_and_wrong_heads():
    model = build()
    with pytest.raises(RuntimeError, match='not trained by gradients'):
        model.decode_head.loss([torch.zeros(1, D, 4, 4)], [], None)
    with pytest.raises(ValueError, match='cannot make'):
        fit_kmeans_head(model, loader(1, 1), tokens_per_image=2,
                        progress=False)
    model.decode_head = torch.nn.Identity()
    with pytest.raises(TypeError, match='not a KMeansHead'):
        fit_kmeans_head(model, loader(), progress=False)
