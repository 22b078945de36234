"""MeanTeacherHook and AuxiliaryEstimatorHook on stub runners."""
import logging
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn
from mmengine.logging import MessageHub

from mmsuperpix.engine import AuxiliaryEstimatorHook, MeanTeacherHook
from mmsuperpix.registry import MODELS


class TwoModels(nn.Module):

    def __init__(self, start, teacher='ema'):
        super().__init__()
        self.student = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
        self.teacher = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
        self.semi_train_cfg = dict(sup_only_iters=start, teacher=teacher)
        self.teacher_ready = False

    @property
    def weights(self):
        return self.student[0].weight, self.teacher[0].weight


def runner(model, iteration, max_iters=100):
    return SimpleNamespace(model=model, iter=iteration, max_iters=max_iters,
                           message_hub=MessageHub.get_current_instance(),
                           logger=logging.getLogger('test'))


def test_teacher_copied_then_averaged_with_warmup():
    model = TwoModels(start=3)
    student, teacher = model.weights
    hook = MeanTeacherHook(decay=0.999)
    nn.init.constant_(student, 1.0)
    nn.init.constant_(teacher, 0.0)
    hook.after_train_iter(runner(model, 0), 0)  # still supervised only
    assert teacher.sum() == 0 and not model.teacher_ready
    hook.after_train_iter(runner(model, 2), 2)  # end of warm-up: copy
    assert torch.equal(teacher, student) and model.teacher_ready
    nn.init.constant_(student, 3.0)
    hook.after_train_iter(runner(model, 3), 3)  # d = 1 - 1/1 = 0
    assert torch.allclose(teacher, torch.full((2, 2), 3.0))
    nn.init.constant_(student, 5.0)
    hook.after_train_iter(runner(model, 4), 4)  # d = 1 - 1/2 = 0.5
    assert torch.allclose(teacher, torch.full((2, 2), 4.0))
    assert MessageHub.get_current_instance().get_scalar(
        'train/ema_decay').current() == 0.5


def test_late_decay_is_capped():
    model = TwoModels(start=0)
    student, teacher = model.weights
    hook = MeanTeacherHook(momentum=0.1)  # mmdet's spelling of decay 0.9
    assert hook.decay == pytest.approx(0.9)
    hook.before_train(runner(model, 0))
    assert torch.equal(teacher, student)
    before = teacher.detach().clone()
    with torch.no_grad():
        student.add_(1.0)
    hook.after_train_iter(runner(model, 1000), 1000)
    torch.testing.assert_close(teacher, before + 0.1)


def test_student_mode_copies_parameters_keeps_teacher_statistics():
    """DDFP's effective teacher: the current student's weights, its own BN
    running statistics."""
    model = TwoModels(start=0, teacher='student')
    hook = MeanTeacherHook()
    hook.before_train(runner(model, 0))
    student, teacher = model.weights
    with torch.no_grad():
        student.add_(1.0)
        model.student[1].running_mean.fill_(7.0)
        model.teacher[1].running_mean.fill_(-1.0)
    hook.after_train_iter(runner(model, 5), 5)
    assert torch.equal(teacher, student)
    assert (model.teacher[1].running_mean == -1.0).all()


def test_resumed_run_past_the_warm_up_has_a_ready_teacher():
    model = TwoModels(start=3)
    MeanTeacherHook().before_train(runner(model, 2))
    assert not model.teacher_ready
    MeanTeacherHook().before_train(runner(model, 10))
    assert model.teacher_ready


def test_hook_arguments_and_modes_are_checked():
    with pytest.raises(ValueError, match='not both'):
        MeanTeacherHook(decay=0.9, momentum=0.1)
    with pytest.raises(ValueError, match='decay must be'):
        MeanTeacherHook(momentum=0.0)
    with pytest.raises(ValueError, match="'student'"):
        MeanTeacherHook().before_train(
            runner(TwoModels(start=0, teacher='lagging'), 0))


def test_mean_teacher_needs_a_teacher():
    with pytest.raises(TypeError, match='teacher'):
        MeanTeacherHook().before_train(runner(nn.Linear(1, 1), 0))


class FlowModel(nn.Module):

    def __init__(self):
        super().__init__()
        self.perturbation = MODELS.build(dict(
            type='DensityDescendingPerturbation',
            flow=dict(type='FlowDensityEstimator', in_channels=4,
                      hidden_channels=8, num_components=2)))

    def observe(self, features):
        labels = torch.randint(-1, 2, (1, 8, 8))
        self.perturbation.observe_teacher(features, labels)


def flow_state(model):
    return {k: v.clone() for k, v in
            model.perturbation.flow.state_dict().items()}


def test_estimator_hook_trains_skips_nans_and_resumes(caplog):
    model = FlowModel()
    hook = AuxiliaryEstimatorHook()
    hook.before_train(runner(model, 0))
    before = flow_state(model)
    hook.after_train_iter(runner(model, 0), 0)  # nothing observed: no step
    assert all(torch.equal(before[k], v) for k, v in flow_state(model).items())
    model.observe(torch.randn(1, 4, 8, 8))
    hook.after_train_iter(runner(model, 1), 1)
    assert model.perturbation._batch is None
    assert not all(torch.equal(before[k], v)
                   for k, v in flow_state(model).items())
    assert not any(p.requires_grad
                   for p in model.perturbation.flow.parameters())
    assert MessageHub.get_current_instance().get_scalar(
        'train/perturbation.nll').current() > 0
    trained = flow_state(model)
    bad = torch.randn(1, 4, 8, 8)
    bad[0, 1] = float('nan')
    model.observe(bad)
    with caplog.at_level(logging.WARNING, logger='test'):
        hook.after_train_iter(runner(model, 2), 2)
    assert hook.skipped['perturbation'] == 1
    assert 'refused a non-finite step' in caplog.text
    for key, value in flow_state(model).items():
        assert torch.equal(value, trained[key]) and torch.isfinite(
            value.float()).all()
    checkpoint = {}
    hook.before_save_checkpoint(runner(model, 2), checkpoint)
    resumed = AuxiliaryEstimatorHook()
    resumed.after_load_checkpoint(runner(model, 2), checkpoint)
    resumed.before_train(runner(model, 3))
    assert resumed.skipped == {'perturbation': 1}
    assert resumed.first_step == {'perturbation': 1}
    saved = checkpoint['auxiliary_estimators']['perturbation']['optimizer']
    restored = resumed.optimizers['perturbation'].state_dict()
    assert saved['state'].keys() == restored['state'].keys()
    for index in saved['state']:
        torch.testing.assert_close(saved['state'][index]['exp_avg'],
                                   restored['state'][index]['exp_avg'])


def test_estimator_learning_rate_decays_to_the_final_ratio():
    model = FlowModel()
    hook = AuxiliaryEstimatorHook(final_lr_ratio=0.01)
    hook.before_train(runner(model, 0))
    hook._set_lr(runner(model, 0, max_iters=100), 'perturbation')
    optimizer = hook.optimizers['perturbation']
    assert optimizer.param_groups[0]['lr'] == pytest.approx(1e-3)
    hook._set_lr(runner(model, 100, max_iters=100), 'perturbation')
    assert optimizer.param_groups[0]['lr'] == pytest.approx(1e-5)
    hook._set_lr(runner(model, 50, max_iters=100), 'perturbation')
    assert optimizer.param_groups[0]['lr'] == pytest.approx(1e-4)


def test_estimator_hook_needs_an_estimator():
    with pytest.raises(TypeError, match='no auxiliary estimator'):
        AuxiliaryEstimatorHook().before_train(runner(nn.Linear(1, 1), 0))
