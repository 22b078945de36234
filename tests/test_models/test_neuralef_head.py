"""NeuralEF's head and segmentor on a tiny ViT: losses, frozen backbone,
stop-gradient of the probe, cluster predictions, Gumbel annealing."""
import math

import pytest
import torch
from mmengine import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmsuperpix.engine.hooks import GumbelTemperatureHook
from mmsuperpix.registry import MODELS

D, K, SIZE = 32, 8, 64


def build(probe_classes=3, **test_cfg):
    init_default_scope('mmseg')
    model = MODELS.build(dict(
        type='NeuralEFSegmentor', feature_k=8,
        data_preprocessor=dict(type='SegDataPreProcessor',
                               mean=[127.5] * 3, std=[127.5] * 3,
                               bgr_to_rgb=True, size=(SIZE, SIZE)),
        backbone=dict(type='VisionTransformer', img_size=(SIZE, SIZE),
                      patch_size=16, embed_dims=D, num_layers=4,
                      num_heads=2, out_indices=(0, 2, 3), final_norm=True),
        decode_head=dict(type='NeuralEFHead', in_channels=[D] * 3,
                         in_index=[0, 1, 2], input_transform='resize_concat',
                         num_classes=K, num_heads=2, head_dim=8,
                         probe_classes=probe_classes),
        test_cfg=ConfigDict(mode='whole', **test_cfg)))
    model.init_weights()
    return model


def batch(model, n=2):
    torch.manual_seed(0)
    samples = []
    for _ in range(n):
        sample = SegDataSample(metainfo=dict(img_shape=(SIZE, SIZE),
                                             ori_shape=(SIZE, SIZE)))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, 3, (1, SIZE,
                                                                SIZE)))
        samples.append(sample)
    images = [torch.randint(0, 255, (3, SIZE, SIZE), dtype=torch.uint8)
              for _ in range(n)]
    return model.data_preprocessor(dict(inputs=images, data_samples=samples),
                                   True)


def test_losses_reach_the_head_only():
    model = build()
    data = batch(model)
    model.train()
    assert not model.backbone.training  # frozen backbone stays in eval
    losses = model.loss(data['inputs'], data['data_samples'])
    assert set(losses) == {'decode.loss_neuralef', 'decode.loss_probe'}
    losses['decode.loss_neuralef'].backward()
    head = model.decode_head
    assert all(p.grad is None for p in model.backbone.parameters())
    assert head.blocks[0].attn.to_qkv.weight.grad is not None
    assert head.probe.weight.grad is None  # the NeuralEF loss skips it
    model.zero_grad()
    losses = model.loss(data['inputs'], data['data_samples'])
    losses['decode.loss_probe'].backward()  # probe: detached hidden tokens
    assert head.probe.weight.grad is not None
    assert head.blocks[0].attn.to_qkv.weight.grad is None


def test_kernel_covers_every_token_of_the_batch():
    model = build(probe_classes=None)
    data = batch(model, n=3)
    features = model.extract_feat(data['inputs'])
    kernel = model.graph_kernel(data['inputs'], features)
    tokens = 3 * (SIZE // 16)**2
    assert kernel.shape == (tokens, tokens)
    assert torch.allclose(kernel, kernel.T) and (kernel >= 0).all()
    colours = model.image_colours(data['inputs'], (4, 4))
    assert colours.min() >= 0 and colours.max() <= 1


def test_prediction_is_cluster_ids_at_image_size():
    model = build().eval()
    data = batch(model)
    with torch.no_grad():
        out = model.predict(data['inputs'], data['data_samples'])
    pred = out[0].pred_sem_seg.data
    assert pred.shape == (1, SIZE, SIZE)
    assert pred.min() >= 0 and pred.max() < K


def test_head_needs_the_kernel():
    model = build()
    data = batch(model)
    with pytest.raises(ValueError, match='NeuralEFSegmentor'):
        model.decode_head.loss(model.extract_feat(data['inputs']),
                               data['data_samples'], None)


def test_gumbel_temperature_cosine_schedule():
    model = build(probe_classes=None)

    class Runner:
        iter, max_iters = 0, 11
        message_hub = type('Hub', (), {'update_scalar':
                                       lambda *a, **k: None})()

    runner = Runner()
    runner.model = model
    hook = GumbelTemperatureHook()
    taus = []
    for it in (0, 5, 10):
        runner.iter = it
        hook.before_train_iter(runner, it)
        taus.append(model.decode_head.tau)
    assert taus[0] == pytest.approx(1.0) and taus[2] == pytest.approx(0.3)
    assert taus[1] == pytest.approx(0.3 + 0.35 * (1 + math.cos(math.pi / 2)))


@pytest.mark.parametrize('orthogonal_map', [None, 'cayley'])
def test_eigenfunction_map_is_orthogonal(orthogonal_map):
    from mmsuperpix.models.heads import NeuralEFHead
    head = NeuralEFHead(num_classes=K, in_channels=3 * D, num_heads=2,
                        head_dim=8, orthogonal_map=orthogonal_map)
    weight = head.eigenfunctions.weight  # (K, 3D)
    assert torch.allclose(weight @ weight.T, torch.eye(K), atol=1e-5)


def test_dino_keys_as_the_high_level_features():
    init_default_scope('mmseg')
    model = build(probe_classes=None)
    cfg = dict(type='NeuralEFSegmentor', high_level='dino_keys',
               data_preprocessor=model.data_preprocessor,
               backbone=dict(type='VisionTransformer', img_size=(SIZE, SIZE),
                             patch_size=16, embed_dims=D, num_layers=4,
                             num_heads=2, out_indices=(0, 2, 3),
                             final_norm=True),
               decode_head=dict(type='NeuralEFHead', in_channels=[D] * 3,
                                in_index=[0, 1, 2],
                                input_transform='resize_concat',
                                num_classes=K, num_heads=2, head_dim=8))
    keyed = MODELS.build(cfg)
    data = batch(keyed)
    features = keyed.extract_feat(data['inputs'])
    assert len(features) == 4 and features[-1].shape == features[0].shape
    # the keys by hand: the last block's input, its first norm, W_k
    layer, seen = keyed.backbone.layers[-1], []
    handle = layer.register_forward_pre_hook(lambda m, a: seen.append(a[0]))
    with torch.no_grad():
        keyed.backbone(data['inputs'])
    handle.remove()
    attn = layer.attn.attn
    manual = torch.nn.functional.linear(
        layer.norm1(seen[0]), attn.in_proj_weight[D:2 * D],
        attn.in_proj_bias[D:2 * D])[:, 1:]
    assert torch.allclose(features[-1].flatten(2).transpose(1, 2), manual,
                          atol=1e-5)
    losses = keyed.loss(data['inputs'], data['data_samples'])
    assert torch.isfinite(losses['decode.loss_neuralef'])
    with pytest.raises(ValueError, match='high_level'):
        MODELS.build(dict(cfg, high_level='queries'))
