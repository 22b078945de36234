"""SemiSupervisedSegmentor: phases, pseudo-labels and their report, the
flow's observations, the DDFP perturbation, CutMix, auxiliary BN routing
and checkpoint compatibility."""
import copy
import math
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
from mmsuperpix.utils.run_config import fill_placeholders

init_default_scope('mmseg')
DDFP_DEMO = osp.join(REPO, 'configs', 'demo',
                     'ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py')


def demo_config():
    cfg = Config.fromfile(DDFP_DEMO)
    fill_placeholders(cfg)
    return cfg


def build(**semi_train_cfg):
    cfg = copy.deepcopy(demo_config().model)
    for key, value in semi_train_cfg.items():
        cfg.semi_train_cfg[key] = value  # replace, not merge
    model = MODELS.build(cfg)
    model.init_weights()
    model.teacher_ready = True  # MeanTeacherHook's job in a real run
    return model


def threshold(thr):
    return dict(pseudo_label=dict(type='ConfidenceThreshold', thr=thr))


def sample(labels):
    return SegDataSample(gt_sem_seg=PixelData(data=labels[None]))


def batch(size=64, n=2):
    torch.manual_seed(0)
    labels = torch.zeros(size, size, dtype=torch.long)
    labels[:, size // 2:] = 15
    validity = torch.full((size, size), 254, dtype=torch.long)
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
    (5, {'sup.decode.loss_ce', 'unsup.decode.loss_ce', 'pseudo.coverage'},
     {'perturb.decode.loss_ce', 'pseudo.precision'}),
    (9, {'unsup.decode.loss_ce', 'perturb.decode.loss_ce'}, set()),
])
def test_phases(t, present, absent):
    model = build(sup_only_iters=5, perturb_start_iter=9, **threshold(0.0))
    at_iteration(t)
    losses = model.loss(*batch())
    assert present <= set(losses) and not absent & set(losses)
    assert (model.perturbation._batch is not None) == (t >= 5)
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    student = [p for p in model.student.parameters() if p.grad is not None]
    assert student and all(p.grad is None for p in model.teacher.parameters())
    assert all(p.grad is None
               for p in model.perturbation.flow.parameters())


def test_no_pseudo_labels_without_a_teacher():
    model = build(sup_only_iters=0)
    model.teacher_ready = False
    with pytest.raises(RuntimeError, match='MeanTeacherHook'):
        model.loss(*batch())


def teach(model, weak, weak_samples, labeled=None, labeled_samples=None):
    n = weak.shape[0]
    if labeled is None:
        labeled, labeled_samples = batch(weak.shape[-1], n)[0]['sup'], [
            sample(torch.zeros(weak.shape[-2:], dtype=torch.long))] * n
    return model.get_pseudo_labels(weak, weak_samples, labeled,
                                   labeled_samples)


def test_pseudo_labels_follow_confidence_and_padding():
    model = build(teacher_sees_labeled=False, **threshold(0.9))
    model.perturbation = None  # nothing observes the teacher
    n, size = 2, 64
    logits = torch.zeros(n, 21, size // 4, size // 4)
    logits[:, 7, :, :8] = 20.0  # confident car on the left half
    model.teacher.decode_head.forward = lambda feats: logits
    validity = torch.full((size, size), 254, dtype=torch.long)
    validity[:4] = 255
    pseudo = teach(model, torch.randn(n, 3, size, size),
                   [sample(validity)] * n)
    assert (pseudo[:, 4:, :24] == 7).all()  # inside the confident region
    assert (pseudo[:, :4] == 255).all()  # padding
    assert (pseudo[:, :, 40:] == 255).all()  # uniform logits: conf 1/21


def test_self_adaptive_threshold_follows_the_model():
    """FreeMatch's rule: thresholds start at 1/C and follow the batch
    confidence; a rarely predicted class gets a lower threshold."""
    rule = MODELS.build(dict(type='SelfAdaptiveThreshold', momentum=0.0,
                             max_thr=0.95))
    probs = torch.zeros(1, 3, 4, 4)
    probs[0, 0] = 0.9  # mostly class 0, confident
    probs[0, 1] = 0.1
    probs[0, 0, 0, 0], probs[0, 1, 0, 0] = 0.3, 0.6  # one class-1 pixel
    probs[0, 2, 0, 0] = 0.1
    valid = torch.ones(1, 4, 4, dtype=torch.bool)
    labels = rule(probs, valid)
    # tau = mean max p = (15 * 0.9 + 0.6) / 16; q = (0.8625, 0.13125, ...)
    thr = rule.thresholds(probs, valid)
    torch.testing.assert_close(thr[:2], torch.tensor(
        [0.88125, 0.13125 / 0.8625 * 0.88125]))
    assert labels[0, 0, 0] == 1  # 0.6 > 0.134: kept, where 0.95 drops it
    assert (labels[0].flatten()[1:] == 0).all()  # 0.9 > 0.881
    state = rule.state_dict()
    fresh = MODELS.build(dict(type='SelfAdaptiveThreshold'))
    fresh.load_state_dict(state)
    torch.testing.assert_close(fresh.class_mean, rule.class_mean)


@pytest.mark.parametrize('sees_labeled', [True, False])
def test_teacher_batch_includes_labeled_images(sees_labeled):
    """DDFP's loop runs the teacher on [labeled; weak] in one batch (its BN
    statistics cover both); the pseudo-labels are those of the weak part."""
    model = build(teacher_sees_labeled=sees_labeled)
    model.perturbation = None
    inputs, samples = batch(n=2)
    seen = []
    extract = model.teacher.extract_feat
    model.teacher.extract_feat = lambda x: seen.append(x) or extract(x)
    pseudo = teach(model, inputs['unsup_teacher'], samples['unsup_teacher'],
                   inputs['sup'], samples['sup'])
    assert pseudo.shape == (2, 64, 64)
    expected = [inputs['sup'], inputs['unsup_teacher']] if sees_labeled \
        else [inputs['unsup_teacher']]
    assert torch.equal(seen[0], torch.cat(expected))


def test_flow_observes_labeled_classes_and_unlabeled_pixels():
    model = build()
    model.perturbation.max_pixels = 10**6
    inputs, samples = batch()
    teach(model, inputs['unsup_teacher'], samples['unsup_teacher'],
          inputs['sup'], samples['sup'])
    feats, targets = model.perturbation._batch
    assert feats.shape[1] == 64 and feats.shape[0] == targets.shape[0]
    per_image = 16 * 16
    assert (targets == -1).sum() == 2 * (per_image - 2 * 16)  # no padding
    assert set(targets.unique().tolist()) == {-1, 0, 15}
    model.perturbation.max_pixels = 100
    teach(model, inputs['unsup_teacher'], samples['unsup_teacher'],
          inputs['sup'], samples['sup'])
    assert model.perturbation._batch[0].shape[0] == 100


def test_pseudo_label_report_counts_against_reference_labels():
    from mmsuperpix.models.segmentors.pseudo_label_report import \
        pseudo_label_report
    reference = torch.tensor([[0, 0, 3, 3], [0, 254, 3, 255]])
    pseudo = torch.tensor([[0, 3, 3, 255], [0, 0, 255, 3]])
    report = pseudo_label_report(pseudo[None], [sample(reference)])
    # valid: 7 pixels, 6 pseudo-labelled (the padding one does not count)
    assert report['pseudo.coverage'] == pytest.approx(5 / 7)
    # known: 6 pixels; pseudo-labelled 4 of them, 3 right
    assert report['pseudo.precision'] == pytest.approx(3 / 4)
    assert report['pseudo.recall'] == pytest.approx(3 / 6)
    hub = MessageHub.get_current_instance()
    assert hub.get_scalar('train/pseudo.recall.c3').current() == 1 / 3
    assert hub.get_scalar('train/pseudo.precision.c0').current() == 1.0
    assert hub.get_scalar('train/pseudo.precision.c3').current() == 0.5
    unknown = pseudo_label_report(pseudo[None], [sample(
        torch.full((2, 4), 254))])
    assert set(unknown) == {'pseudo.coverage'}


def test_unsup_weight_ramps_up_after_the_warm_up():
    model = build(sup_only_iters=10, unsup_rampup_iters=20, unsup_weight=2.0)
    assert model.unsup_weight(9) == pytest.approx(2.0 * math.exp(-5))
    assert model.unsup_weight(19) == pytest.approx(2.0 * math.exp(-1.25))
    assert model.unsup_weight(29) == model.unsup_weight(500) == 2.0
    assert build(unsup_rampup_iters=0).unsup_weight(0) == 1.0


def test_pseudo_label_loss_is_averaged_over_labelled_pixels():
    model = build()
    logits = torch.zeros(1, 21, 4, 4)
    pseudo = torch.full((1, 4, 4), 255)
    pseudo[0, 0, 0] = 3
    loss = model.loss_by_pseudo_labels(logits, pseudo, 1.0)['loss_ce']
    assert loss == pytest.approx(math.log(21), rel=1e-5)  # not / 16


def test_bn_routing_follows_ddfp():
    """Warm-up mode: the strong half through the auxiliary BN before the
    perturbation starts; afterwards clean views use the main BN and the
    perturbed copies, classified in the same pass, the auxiliary one."""
    model = build(sup_only_iters=0, perturb_start_iter=5, **threshold(0.0))
    block = model._classifier(model.student)
    dual = next(m for m in block.modules() if isinstance(m, DualBatchNorm))
    seen = []
    main, aux = dual.main.forward, dual.aux.forward
    dual.main.forward = lambda x: seen.append(('main', x.shape[0])) or main(x)
    dual.aux.forward = lambda x: seen.append(('aux', x.shape[0])) or aux(x)
    inputs, samples = batch(n=2)
    at_iteration(2)
    model.loss(inputs, samples)
    assert seen == [('main', 2), ('aux', 2)]
    seen.clear()
    at_iteration(5)
    model.loss(inputs, samples)
    # the density step on the strong views (auxiliary BN), then one pass
    # over [labeled; strong] (main BN) and the perturbed copies (auxiliary)
    assert seen == [('aux', 2), ('main', 4), ('aux', 2)]


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


def test_one_seed_one_student_for_every_method():
    """The flow draws its weights from its own generator: with or without
    it (DDFP, mean teacher) one seed gives the same initial student."""
    students = []
    for perturbation in ('keep', None):
        cfg = copy.deepcopy(demo_config().model)
        if perturbation is None:
            cfg.feature_perturbation = None
        torch.manual_seed(3)
        model = MODELS.build(cfg)
        model.init_weights()
        students.append(strip_auxiliary_bn(model.student.state_dict()))
    assert students[0].keys() == students[1].keys()
    for key, value in students[0].items():
        assert torch.equal(value, students[1][key]), key


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
    assert duals[0].aux_from is None
    plain = strip_auxiliary_bn(model.teacher.state_dict())
    assert not any('.aux.' in k or '.main.' in k for k in plain)
    reference = MODELS.build(demo_config().model.segmentor)
    assert set(plain) == set(reference.state_dict())


def test_plain_checkpoint_loads_into_both_models():
    model = build()
    plain = MODELS.build(demo_config().model.segmentor)
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
    cfg = copy.deepcopy(demo_config().model)
    cfg.classifier = 'no_such_block'
    with pytest.raises(AttributeError, match='has no block'):
        MODELS.build(cfg)
    model = build()
    inputs, samples = batch()
    with pytest.raises(ValueError, match='no labeled'):
        model.loss({k: v for k, v in inputs.items() if k != 'sup'}, samples)
