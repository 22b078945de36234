"""SuperpixelPoolingHead alone, inside EncoderDecoder with
SuperpixelDataPreProcessor, and inside the DDFP segmentor."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import mmsuperpix  # noqa: F401
from conftest import REPO
from mmsuperpix.models.utils import SuperpixelBatch
from mmsuperpix.registry import MODELS
from mmsuperpix.utils import fill_placeholders

init_default_scope('mmseg')
POOL_DIR = osp.join(REPO, 'configs', 'superpixel_pooling')
DEMO = osp.join(POOL_DIR, 'sp-pool_deeplabv3plus_r18w16-d8_1xb8-1500_'
                'demovoc-128x128.py')
DDFP = osp.join(POOL_DIR, 'sp-pool_ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_'
                'demovoc-128x128.py')
FCN = dict(type='FCNHead', in_channels=8, channels=6, num_convs=1,
           num_classes=3, dropout_ratio=0.0, norm_cfg=None)


def head(**kwargs):
    torch.manual_seed(0)
    module = MODELS.build(dict(type='SuperpixelPoolingHead', head=FCN,
                               **kwargs))
    module.init_weights()
    return module.eval()


def blocks(n=2, size=32, cell=8):
    """(N, size, size) labels: a grid of cell x cell squares."""
    rows = torch.arange(size) // cell
    grid = rows[:, None] * (size // cell) + rows[None]
    return grid.expand(n, size, size).clone()


@pytest.mark.parametrize('pool', ['features', 'logits', 'both'])
@pytest.mark.parametrize('resolution', ['feature', 'input'])
def test_output_size_and_constant_logits_per_superpixel(pool, resolution):
    model = head(pool=pool, feature_resolution=resolution,
                 logit_resolution=resolution)
    feats = [torch.randn(2, 8, 8, 8)]  # stride 4 of a 32x32 input
    labels = blocks()
    with model.use_superpixels(SuperpixelBatch(labels=labels)):
        logits = model(feats)
    size = 32 if resolution == 'input' else 8
    assert logits.shape == (2, 3, size, size)
    if pool != 'both':  # pure pooling: one value per superpixel
        small = torch.nn.functional.interpolate(
            labels[:, None].float(), (size, size), mode='nearest')[:, 0]
        for image, ids in zip(logits.permute(0, 2, 3, 1), small):
            for label in ids.unique():
                values = image[ids == label]
                assert torch.allclose(values[:1].expand_as(values), values,
                                      atol=1e-5)


def test_single_superpixel_gives_constant_prediction():
    model = head(pool='logits')
    labels = torch.zeros(1, 32, 32, dtype=torch.long)
    with model.use_superpixels(SuperpixelBatch(labels=labels)):
        logits = model([torch.randn(1, 8, 8, 8)])
    assert logits.shape == (1, 3, 32, 32)
    assert torch.allclose(logits, logits[..., :1, :1].expand_as(logits),
                          atol=1e-5)


def test_soft_pooling_keeps_constant_maps_and_gradients_flow():
    model = head(pool='features', mode='soft')
    assoc = torch.rand(2, 9, 32, 32).softmax(1)
    feats = torch.randn(2, 8, 8, 8, requires_grad=True)
    with model.use_superpixels(SuperpixelBatch(labels=blocks(),
                                               association=assoc)):
        with pytest.raises(ValueError, match='cell size'):
            model([feats])
    with model.use_superpixels(SuperpixelBatch(
            labels=blocks(), association=assoc, cell_size=8)):
        model([feats]).sum().backward()
        # pooling a constant map returns it
        out = model._pool(torch.full((2, 4, 8, 8), 3.0), 'feature', None)
    assert feats.grad is not None and feats.grad.abs().sum() > 0
    assert torch.allclose(out, torch.full_like(out, 3.0), atol=1e-4)


def test_blend_gates_learn():
    model = head(pool='both').train()
    with model.use_superpixels(SuperpixelBatch(labels=blocks())):
        model([torch.randn(2, 8, 8, 8)]).pow(2).sum().backward()
    assert model.feature_gate.grad.abs().sum() > 0
    assert model.logit_gate.grad.abs().sum() > 0


def test_without_superpixels_the_error_says_how_to_fix():
    model = head()
    with pytest.raises(RuntimeError, match='use_superpixels'):
        model([torch.randn(1, 8, 8, 8)])
    with pytest.raises(KeyError, match='SuperpixelDataPreProcessor'):
        model.predict([torch.randn(1, 8, 8, 8)],
                      [dict(img_shape=(32, 32), pad_shape=(32, 32))], {})
    with pytest.raises(ValueError, match='mode'):
        head(mode='medium')


def test_misaligned_maps_fail_clearly():
    model = head()
    metas = [dict(img_shape=torch.Size([16, 16]), superpixels=blocks(1)[0])]
    with pytest.raises(ValueError, match="mode='whole'"):
        model.predict([torch.randn(1, 8, 4, 4)], metas, {})
    with pytest.raises(ValueError, match='1 superpixel maps for a batch of 2'):
        with model.use_superpixels(SuperpixelBatch(labels=blocks(1))):
            model([torch.randn(2, 8, 8, 8)])


def test_plain_head_weights_load():
    plain = MODELS.build(FCN).state_dict()
    model = head(pool='both')
    model.load_state_dict({**plain, 'feature_gate': model.feature_gate,
                           'logit_gate': model.logit_gate})
    assert torch.equal(model.head.conv_seg.weight, plain['conv_seg.weight'])


def demo_config() -> Config:
    cfg = Config.fromfile(DEMO)
    fill_placeholders(cfg)
    return cfg


def demo_model(**head_options):
    cfg = copy.deepcopy(demo_config().model)
    cfg.data_preprocessor.pop('superpixel_method')  # maps from the pipeline
    cfg.data_preprocessor.pop('segment_size')
    cfg.data_preprocessor.size = None
    cfg.data_preprocessor.size_divisor = 32
    cfg.decode_head.update(head_options)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def packed(height, width, labels=None):
    sample = SegDataSample(gt_sem_seg=PixelData(
        data=torch.zeros(1, height, width, dtype=torch.long)))
    sample.set_metainfo(dict(img_shape=(height, width),
                             ori_shape=(height, width)))
    if labels is not None:
        sample.gt_superpixels = PixelData(data=labels[None])
    return sample


def test_encoder_decoder_train_and_predict_with_packed_superpixels():
    model = demo_model()
    sizes = [(40, 50), (48, 36)]
    maps = [torch.arange(h * w).view(h, w) // 97 for h, w in sizes]
    data = dict(inputs=[torch.randint(0, 255, (3, h, w), dtype=torch.uint8)
                        for h, w in sizes],
                data_samples=[packed(h, w, m) for (h, w), m in
                              zip(sizes, maps)])
    batch = model.data_preprocessor(data, training=True)
    assert batch['inputs'].shape[-2:] == (64, 64)  # size_divisor 32
    for sample, (h, w), m in zip(batch['data_samples'], sizes, maps):
        sp = sample.metainfo['superpixels']
        assert sp.shape == (64, 64)
        assert torch.equal(sp[:h, :w], m)  # aligned, top-left
        assert (sp[h:] == -1).all() and (sp[:, w:] == -1).all()
    losses = model.loss(batch['inputs'], batch['data_samples'])
    losses['decode.loss_ce'].backward()
    model.eval()
    data = dict(inputs=[torch.randint(0, 255, (3, 40, 50), dtype=torch.uint8)],
                data_samples=[packed(40, 50, maps[0])])
    with torch.no_grad():
        pred = model.test_step(data)[0].pred_sem_seg.data[0]
    assert pred.shape == (40, 50)
    for label in maps[0].unique():  # pooled logits: one class per superpixel
        assert pred[maps[0] == label].unique().numel() == 1


def test_preprocessor_errors():
    model = demo_model()
    wrong = dict(inputs=[torch.zeros(3, 40, 50, dtype=torch.uint8)],
                 data_samples=[packed(40, 50, torch.zeros(40, 49).long())])
    with pytest.raises(ValueError, match=r'\(40, 49\) but its image is'):
        model.data_preprocessor(wrong, training=True)
    missing = dict(inputs=[torch.zeros(3, 40, 50, dtype=torch.uint8)],
                   data_samples=[packed(40, 50)])
    with pytest.raises(KeyError, match='GenerateSuperpixels'):
        model.data_preprocessor(missing, training=True)


@pytest.mark.parametrize('method,cell,assoc_size', [
    ('ainet', 16, (80, 80)),  # grid network: 5 x 5 cells of 16 px
    ('default', 13, (65, 65)),  # SSN head: cells of round(sqrt(64*64/25))
])
def test_frozen_superpixel_model_in_the_preprocessor(method, cell,
                                                     assoc_size):
    cfg = copy.deepcopy(demo_config().model.data_preprocessor)
    cfg.pop('segment_size')
    cfg.update(association=True, size=None, size_divisor=32,
               superpixel_method=method)
    pre = MODELS.build({**cfg, 'n_segments': 25})
    data = dict(inputs=[torch.randint(0, 255, (3, 60, 64), dtype=torch.uint8)
                        for _ in range(2)],
                data_samples=[packed(60, 64) for _ in range(2)])
    out = pre(data, training=True)
    sample = out['data_samples'][0]
    sp, assoc = sample.superpixels, sample.superpixel_association
    assert sp.shape == (64, 64) and (sp[60:] == -1).all()
    assert 8 <= sp[:60].unique().numel() <= 100  # random pixels: fragments
    assert sample.superpixel_cell_size == cell
    assert assoc.shape == (9, *assoc_size)
    assert torch.allclose(assoc.sum(0), torch.ones(assoc.shape[1:]),
                          atol=1e-2)
    # soft pooling reads the cell size with the association
    batch = SuperpixelBatch.from_metas(
        [s.metainfo for s in out['data_samples']], True, True, 'cpu')
    assert batch.cell_size == cell
    model = head(pool='features', mode='soft')
    with model.use_superpixels(batch):
        assert model([torch.randn(2, 8, 8, 8)]).shape == (2, 3, 8, 8)
    with pytest.raises(ValueError, match='exactly one'):
        MODELS.build(cfg)


def test_superpixel_batch_cutmix_keeps_ids_apart():
    labels = torch.stack([torch.zeros(4, 4), torch.ones(4, 4)]).long()
    labels[1, 0, 0] = -1
    masks = torch.zeros(2, 4, 4, dtype=torch.bool)
    masks[:, :2, :2] = True
    mixed = SuperpixelBatch(labels=labels).cutmix(masks).labels
    assert mixed[0, 0, 0] == -1 and mixed[0, 1, 1] == 1 + 2  # shifted
    assert mixed[0, 3, 3] == 0 and mixed[1, 1, 1] == 0 + 2


def test_ddfp_student_and_teacher_pool(monkeypatch):
    from mmengine.logging import MessageHub
    full = Config.fromfile(DDFP)
    fill_placeholders(full)  # the preprocessor pads to '${crop_size}'
    cfg = full.model
    cfg.data_preprocessor.data_preprocessor.pop('superpixel_method')
    cfg.data_preprocessor.data_preprocessor.pop('segment_size')
    cfg.semi_train_cfg.update(sup_only_iters=0, perturb_start_iter=0,
                              cutmix_prob=1.0)
    cfg.semi_train_cfg.pseudo_label = dict(type='ConfidenceThreshold',
                                           thr=0.0)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    model.teacher_ready = True  # MeanTeacherHook's job in a run
    calls = []
    for part in (model.student, model.teacher):
        original = part.decode_head._pool
        monkeypatch.setattr(
            part.decode_head, '_pool',
            lambda x, *a, f=original, name=part: calls.append(
                (name is model.teacher, x.shape[0])) or f(x, *a))
    n, size = 2, 32
    maps = [blocks(1, size)[0] for _ in range(n)]
    samples = {b: [packed(size, size, m) for m in maps]
               for b in ('sup', 'unsup_teacher', 'unsup_student')}
    data = dict(inputs={b: [torch.randint(0, 255, (3, size, size),
                                          dtype=torch.uint8)
                            for _ in range(n)] for b in samples},
                data_samples=samples)
    for branch in data['data_samples'].values():
        for sample in branch:
            sample.gt_sem_seg.data[:, :, size // 2:] = 15
    batch = model.data_preprocessor(data, training=True)
    MessageHub.get_current_instance().update_info('iter', 5)
    try:
        losses = model.loss(batch['inputs'], batch['data_samples'])
    finally:
        MessageHub.get_current_instance().update_info('iter', 0)
    assert {'sup.decode.loss_ce', 'unsup.decode.loss_ce',
            'perturb.decode.loss_ce'} <= set(losses)
    # teacher on [labeled; weak], student on [labeled; strong; perturbed]
    assert calls == [(True, 2 * n), (False, 3 * n)]
