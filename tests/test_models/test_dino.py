"""DINO: head, loss, schedules, momentum teacher and a multi-crop step."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from mmsuperpix.models.heads import DINOHead
from mmsuperpix.models.losses import DINOLoss
from mmsuperpix.registry import MODELS

init_default_scope('mmseg')

TINY_VIT = dict(type='VisionTransformer', img_size=(32, 32), patch_size=8,
                embed_dims=16, num_layers=2, num_heads=2, mlp_ratio=2,
                out_indices=(1, ), drop_path_rate=0.1, with_cls_token=True,
                output_cls_token=True, final_norm=True)
TINY_CNN = dict(type='ResNetV1c', depth=18, stem_channels=8, base_channels=8,
                out_indices=(3, ), norm_cfg=dict(type='BN'))
PREPROCESSOR = dict(
    type='MultiBranchDataPreprocessor',
    data_preprocessor=dict(type='SegDataPreProcessor', mean=[0.0] * 3,
                           std=[255.0] * 3, size_divisor=8))


def build(backbone=TINY_VIT, in_channels=16, pooling='cls', out_dim=32,
          **kwargs):
    return MODELS.build(dict(
        type='DINO', data_preprocessor=PREPROCESSOR, backbone=backbone,
        head=dict(type='DINOHead', in_channels=in_channels, out_dim=out_dim,
                  hidden_channels=24, bottleneck_channels=8),
        loss=dict(type='DINOLoss', out_dim=out_dim), pooling=pooling,
        **kwargs))


def views(batch=3, locals_=2):
    torch.manual_seed(0)
    out = {f'global_{i}': torch.randn(batch, 3, 32, 32) for i in range(2)}
    out.update({f'local_{i}': torch.randn(batch, 3, 16, 16)
                for i in range(locals_)})
    return out


# -- head ---------------------------------------------------------------------
def test_head_shape_and_unit_prototypes():
    head = DINOHead(in_channels=5, out_dim=11, hidden_channels=7,
                    bottleneck_channels=4)
    x = torch.randn(6, 5)
    out = head(x)
    assert out.shape == (6, 11)
    # rows of the last layer have length 1 and the bottleneck is unit-norm,
    # so every logit is a cosine
    assert out.abs().max() <= 1 + 1e-5
    bottleneck = F.normalize(head.mlp(x), dim=-1)
    expected = bottleneck @ F.normalize(head.last_layer_v, dim=1).T
    torch.testing.assert_close(out, expected)
    assert not head.last_layer_g.requires_grad


def test_frozen_last_layer_gets_zero_gradient_and_mlp_does_not():
    head = DINOHead(in_channels=5, out_dim=11, hidden_channels=7,
                    bottleneck_channels=4)
    head.last_layer_frozen = True
    head(torch.randn(6, 5)).pow(2).sum().backward()
    assert torch.count_nonzero(head.last_layer_v.grad) == 0
    assert torch.count_nonzero(head.mlp[0].weight.grad) > 0
    head.zero_grad()
    head.last_layer_frozen = False
    head(torch.randn(6, 5)).pow(2).sum().backward()
    assert torch.count_nonzero(head.last_layer_v.grad) > 0


def test_learned_row_lengths_when_not_normalised():
    head = DINOHead(in_channels=5, out_dim=11, hidden_channels=7,
                    bottleneck_channels=4, norm_last_layer=False)
    assert head.last_layer_g.requires_grad
    with torch.no_grad():
        head.last_layer_g.fill_(2.0)
    assert head(torch.randn(3, 5)).abs().max() <= 2 + 1e-5


# -- loss ---------------------------------------------------------------------
def test_loss_is_the_mean_cross_entropy_over_pairs_of_different_views():
    torch.manual_seed(0)
    loss = DINOLoss(out_dim=4, student_temp=0.1, center_momentum=0.9)
    teacher = [torch.randn(2, 4) for _ in range(2)]
    student = [torch.randn(2, 4) for _ in range(3)]
    out = loss(student, teacher, teacher_temp=0.05)
    terms = []
    for i, t in enumerate(teacher):
        p = F.softmax(t / 0.05, -1)  # the centre starts at zero
        for j, s in enumerate(student):
            if j != i:
                terms.append(-(p * F.log_softmax(s / 0.1, -1)).sum(-1).mean())
    torch.testing.assert_close(out['loss_dino'], torch.stack(terms).mean())
    # the centre moved 10% of the way to the teacher's batch mean
    torch.testing.assert_close(loss.center,
                               0.1 * torch.cat(teacher).mean(0, keepdim=True))


def test_centering_and_sharpening_set_the_teacher_entropy():
    loss = DINOLoss(out_dim=8)
    teacher = [torch.tensor([[5.0, 0, 0, 0, 0, 0, 0, 0]])] * 2
    student = [torch.zeros(1, 8)] * 2
    sharp = loss(student, teacher, teacher_temp=0.04)['teacher_entropy']
    soft = DINOLoss(out_dim=8)(student, teacher,
                               teacher_temp=100.0)['teacher_entropy']
    assert sharp < 0.01 and soft > math.log(8) - 0.01
    # with the centre at the teacher's own output every prototype is equal
    loss.center.copy_(teacher[0])
    entropy = loss(student, teacher, teacher_temp=0.04)['teacher_entropy']
    assert entropy == pytest.approx(math.log(8), abs=1e-5)


def test_loss_needs_at_least_the_teachers_views():
    with pytest.raises(ValueError, match='fewer'):
        DINOLoss(out_dim=4)([torch.zeros(1, 4)], [torch.zeros(1, 4)] * 2,
                            teacher_temp=0.04)


# -- model --------------------------------------------------------------------
def test_teacher_starts_as_the_student_without_drop_path_or_gradients():
    model = build()
    model.init_weights()
    for (name, s), t in zip(model.student.state_dict().items(),
                            model.teacher.state_dict().values()):
        assert torch.equal(s, t), name
    assert not any(p.requires_grad for p in model.teacher.parameters())
    drops = [m.drop_prob for m in model.teacher.modules()
             if hasattr(m, 'drop_prob')]
    assert drops and max(drops) == 0
    assert max(m.drop_prob for m in model.student.modules()
               if hasattr(m, 'drop_prob')) > 0


def test_schedules():
    model = build(teacher_temp=(0.04, 0.07), teacher_temp_warmup=0.3,
                  momentum=(0.996, 1.0), freeze_last_layer=0.01)
    model.set_progress(0.0)
    assert model.teacher_temp == pytest.approx(0.04)
    assert model.momentum == pytest.approx(0.996)
    assert model.student['head'].last_layer_frozen
    model.set_progress(0.15)
    assert model.teacher_temp == pytest.approx(0.055)
    assert not model.student['head'].last_layer_frozen
    model.set_progress(0.5)
    assert model.teacher_temp == pytest.approx(0.07)
    assert model.momentum == pytest.approx(0.998)
    model.set_progress(1.0)
    assert model.momentum == pytest.approx(1.0)


def test_update_teacher_is_an_ema_of_the_student():
    model = build()
    model.init_weights()
    model.set_progress(0.0)  # momentum 0.996
    with torch.no_grad():
        for p in model.student.parameters():
            p.add_(1.0)
    before = [t.clone() for t in model.teacher.parameters()]
    model.update_teacher()
    for old, new, s in zip(before, model.teacher.parameters(),
                           model.student.parameters()):
        torch.testing.assert_close(new, 0.996 * old + 0.004 * s)


@pytest.mark.parametrize('backbone,in_channels,pooling', [
    (TINY_VIT, 16, 'cls'), (TINY_VIT, 16, 'mean'), (TINY_CNN, 64, 'mean')],
    ids=['vit-cls', 'vit-mean', 'cnn-mean'])
def test_multi_crop_step_trains_the_student_only(backbone, in_channels,
                                                 pooling):
    model = build(backbone, in_channels, pooling)
    model.init_weights()
    model.set_progress(0.5)
    losses = model(views(), mode='loss')
    assert torch.isfinite(losses['loss_dino'])
    losses['loss_dino'].backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    grads = [p.grad for p in model.student['backbone'].parameters()
             if p.requires_grad]
    assert grads and all(g is not None for g in grads)
    features = model(torch.randn(2, 3, 32, 32), mode='tensor')
    assert len(features) == 1


def test_views_of_one_size_share_a_forward_pass():
    model = build()
    calls = []
    model.student['backbone'].register_forward_hook(
        lambda module, args, out: calls.append(args[0].shape[0]))
    model(views(batch=3, locals_=4), mode='loss')
    assert calls == [6, 12]  # 2 global views of 3, then 4 local views of 3


def test_clear_errors():
    with pytest.raises(ValueError, match="pooling must be 'cls' or 'mean'"):
        build(pooling='max')
    model = build(TINY_CNN, 64, 'cls')
    with pytest.raises(ValueError, match='output_cls_token'):
        model(views(), mode='loss')
    with pytest.raises(KeyError, match='no global view'):
        build()(dict(local_0=torch.zeros(1, 3, 16, 16)), mode='loss')
    with pytest.raises(TypeError, match='MultiBranch'):
        build()(torch.zeros(1, 3, 32, 32), mode='loss')


def test_bfloat16_autocast_step():
    model = build(mixed_precision='bfloat16')
    model.init_weights()
    calls = []
    for module in (model.student['backbone'].patch_embed,
                   model.student['head'].mlp[0]):
        module.register_forward_hook(
            lambda module, args, out: calls.append(
                (out[0] if isinstance(out, tuple) else out).dtype))
    losses = model(views(), mode='loss')
    assert len(calls) == 4 and set(calls) == {torch.bfloat16}
    assert losses['loss_dino'].dtype == torch.float32
    losses['loss_dino'].backward()
    with pytest.raises(ValueError, match='mixed_precision'):
        build(mixed_precision='int8')
