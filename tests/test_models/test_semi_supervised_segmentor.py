"""SemiSupervisedSegmentor: phases, pseudo-labels, flow batches, the DDFP
perturbation, CutMix, auxiliary BN and checkpoint compatibility."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import mmsuperpix  # noqa: F401
from conftest import REPO
from mmsuperpix.models.utils import (DualBatchNorm, auxiliary_bn, cutmix,
                                     cutmix_boxes, strip_auxiliary_bn)
from mmsuperpix.registry import MODELS

init_default_scope('mmseg')
DDFP_DEMO = osp.join(REPO, 'configs', 'demo',
                     'ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py')


def build(**semi_train_cfg):
    cfg = copy.deepcopy(Config.fromfile(DDFP_DEMO).model)
    cfg.semi_train_cfg.update(semi_train_cfg)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def sample(labels):
    return SegDataSample(gt_sem_seg=PixelData(data=labels[None]))


def batch(size=64, n=2):
    torch.manual_seed(0)
    labels = torch.zeros(size, size, dtype=torch.long)
    labels[:, size // 2:] = 15
    validity = torch.zeros(size, size, dtype=torch.long)
    validity[-8:] = 255  # padding rows
    inputs = dict(sup=torch.randn(n, 3, size, size),
                  unsup_teacher=torch.randn(n, 3, size, size))
    inputs['unsup_student'] = inputs['unsup_teacher'] + 0.1
    samples = dict(sup=[sample(labels) for _ in range(n)],
                   unsup_teacher=[sample(validity) for _ in range(n)],
                   unsup_student=[sample(validity) for _ in range(n)])
    return inputs, samples


def at_iteration(t):
    MessageHub.get_current_instance().update_info('iter', t)


@pytest.fixture(autouse=True)
def reset_iteration():
    yield
    at_iteration(0)


@pytest.mark.parametrize('t,present,absent', [
    (0, {'sup.decode.loss_ce'}, {'unsup.decode.loss_ce'}),
    (5, {'sup.decode.loss_ce', 'unsup.decode.loss_ce'},
     {'perturb.decode.loss_ce'}),
    (9, {'unsup.decode.loss_ce', 'perturb.decode.loss_ce'}, set()),
])
def test_phases(t, present, absent):
    model = build(sup_only_iters=5, flow_start_iter=5, perturb_start_iter=9,
                  conf_thr=0.0)
    at_iteration(t)
    losses = model.loss(*batch())
    assert present <= set(losses) and not absent & set(losses)
    assert (model.flow_batch is not None) == (t >= 5)
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    student = [p for p in model.student.parameters() if p.grad is not None]
    assert student and all(p.grad is None for p in model.teacher.parameters())
    assert all(p.grad is None
               for p in model.perturbation.flow.parameters())


def test_pseudo_labels_follow_confidence_and_padding():
    model = build(conf_thr=0.9)
    n, size = 2, 64
    logits = torch.zeros(n, 21, size // 4, size // 4)
    logits[:, 7, :, :8] = 20.0  # confident car on the left half
    model.teacher.decode_head.forward = lambda feats: logits
    validity = torch.zeros(n, size, size, dtype=torch.long)
    validity[:, :4] = 255
    pseudo = model._teach(torch.randn(n, 3, size, size), validity, None,
                          None, collect_flow=False)
    assert (pseudo[:, 4:, :24] == 7).all()  # inside the confident region
    assert (pseudo[:, :4] == 255).all()  # padding
    assert (pseudo[:, :, 40:] == 255).all()  # uniform logits: conf 1/21


@pytest.mark.parametrize('sees_labeled', [True, False])
def test_teacher_batch_includes_labeled_images(sees_labeled):
    """DDFP's loop runs the teacher on [labeled; weak] in one batch (its BN
    statistics cover both); the pseudo-labels are those of the weak part."""
    model = build(teacher_sees_labeled=sees_labeled)
    inputs, samples = batch(n=2)
    seen = []
    extract = model.teacher.extract_feat
    model.teacher.extract_feat = lambda x: seen.append(x) or extract(x)
    validity = torch.stack(
        [s.gt_sem_seg.data[0] for s in samples['unsup_teacher']])
    pseudo = model._teach(inputs['unsup_teacher'], validity, inputs['sup'],
                          None, collect_flow=False)
    assert pseudo.shape == (2, 64, 64)
    expected = [inputs['sup'], inputs['unsup_teacher']] if sees_labeled \
        else [inputs['unsup_teacher']]
    assert torch.equal(seen[0], torch.cat(expected))


def test_flow_batch_holds_labeled_classes_and_unlabeled_pixels():
    model = build(flow_max_pixels=10**6)
    inputs, samples = batch()
    labels = torch.stack([s.gt_sem_seg.data[0] for s in samples['sup']])
    validity = torch.stack(
        [s.gt_sem_seg.data[0] for s in samples['unsup_teacher']])
    model._teach(inputs['unsup_teacher'], validity, inputs['sup'], labels,
                 collect_flow=True)
    feats, targets = model.flow_batch
    assert feats.shape[1] == 64 and feats.shape[0] == targets.shape[0]
    per_image = 16 * 16
    assert (targets == -1).sum() == 2 * (per_image - 2 * 16)  # no padding
    assert set(targets.unique().tolist()) == {-1, 0, 15}
    model.semi_train_cfg['flow_max_pixels'] = 100
    model._teach(inputs['unsup_teacher'], validity, inputs['sup'], labels,
                 collect_flow=True)
    assert model.flow_batch[0].shape[0] == 100


def test_density_descending_step_lowers_density():
    """The perturbation direction increases the flow's NLL (first order)."""
    torch.manual_seed(0)
    perturbation = MODELS.build(dict(
        type='DensityDescendingPerturbation', eps=0.05,
        flow=dict(type='FlowDensityEstimator', in_channels=8,
                  hidden_channels=16, num_components=3)))
    x = torch.randn(2, 8, 5, 5, requires_grad=True)
    valid = torch.ones(2, 5, 5, dtype=torch.bool)
    flow = perturbation.flow

    def nll(z):
        return flow.nll(z.permute(0, 2, 3, 1).reshape(-1, 8))

    out = perturbation(x, lambda f: f, valid)
    assert nll(out.detach()) > nll(x.detach())
    delta = (out - x).detach()
    torch.testing.assert_close(delta.norm(dim=1),
                               torch.full((2, 5, 5), 0.05))
    out.sum().backward()  # the perturbed features keep x's graph
    torch.testing.assert_close(x.grad, torch.ones_like(x))
    nothing = perturbation(x, lambda f: f, torch.zeros_like(valid))
    assert nothing is x  # no confident pixel: no perturbation


def test_cutmix_pastes_the_next_image_and_its_labels():
    images = torch.arange(3.).view(3, 1, 1, 1).expand(3, 2, 8, 8)
    labels = torch.arange(3).view(3, 1, 1).expand(3, 8, 8)
    masks = cutmix_boxes(3, 8, 8, area_ratio=0.5)
    assert (masks.flatten(1).sum(1) >= 28).all()  # about half the image
    mixed, mixed_labels = cutmix(images, labels, masks)
    for i in range(3):
        inside = masks[i]
        assert (mixed[i, :, inside] == (i + 1) % 3).all()
        assert (mixed_labels[i][inside] == (i + 1) % 3).all()
        assert (mixed_labels[i][~inside] == i).all()
        assert torch.equal(mixed[i, 0] == mixed[i, 1],
                           torch.ones(8, 8, dtype=torch.bool))


def test_auxiliary_bn_is_separate_and_strippable():
    model = build()
    block = model._classifier(model.student)
    duals = [m for m in block.modules() if isinstance(m, DualBatchNorm)]
    assert duals
    x = torch.randn(2, 64 + 12, 8, 8)
    before = duals[0].aux.running_mean.clone()
    block.train()
    with auxiliary_bn(block):
        block(x)
    assert not torch.equal(duals[0].aux.running_mean, before)
    assert not duals[0].use_aux
    plain = strip_auxiliary_bn(model.teacher.state_dict())
    assert not any('.aux.' in k or '.main.' in k for k in plain)
    reference = MODELS.build(Config.fromfile(DDFP_DEMO).model.segmentor)
    assert set(plain) == set(reference.state_dict())


def test_plain_checkpoint_loads_into_both_models():
    model = build()
    plain = MODELS.build(Config.fromfile(DDFP_DEMO).model.segmentor)
    state = plain.state_dict()
    model.load_state_dict(state, strict=False)
    for name in ('student', 'teacher'):
        sub = getattr(model, name).state_dict()
        torch.testing.assert_close(
            sub['backbone.stem.0.weight'], state['backbone.stem.0.weight'])
        key = 'decode_head.sep_bottleneck.0.depthwise_conv.bn.main.weight'
        torch.testing.assert_close(
            sub[key], state[key.replace('.main', '')])


def test_predict_uses_the_chosen_model():
    model = build().eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        model.student.decode_head.conv_seg.bias.fill_(5.0)
        for which in ('teacher', 'student'):
            model.semi_test_cfg['predict_on'] = which
            out = model._forward(x)
            expected = getattr(model, which)._forward(x)
            torch.testing.assert_close(out, expected)
    model.semi_test_cfg['predict_on'] = 'nobody'
    with pytest.raises(ValueError, match='predict_on'):
        model._forward(x)


def test_configuration_errors():
    with pytest.raises(KeyError, match='unknown semi_train_cfg'):
        build(confidence=0.9)
    cfg = copy.deepcopy(Config.fromfile(DDFP_DEMO).model)
    cfg.classifier = 'no_such_block'
    with pytest.raises(AttributeError, match='has no block'):
        MODELS.build(cfg)
    model = build()
    inputs, samples = batch()
    with pytest.raises(ValueError, match='no labeled'):
        model.loss({k: v for k, v in inputs.items() if k != 'sup'}, samples)
