"""MeanTeacherHook and DDFPHook on stub runners."""
import logging
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn
from mmengine.logging import MessageHub

from mmsuperpix.engine import DDFPHook, MeanTeacherHook
from mmsuperpix.models import FlowDensityEstimator


class TwoModels(nn.Module):

    def __init__(self, start):
        super().__init__()
        self.student = nn.Linear(2, 2)
        self.teacher = nn.Linear(2, 2)
        self.semi_train_cfg = dict(sup_only_iters=start, flow_start_iter=0)


def runner(model, iteration, max_iters=100):
    return SimpleNamespace(model=model, iter=iteration, max_iters=max_iters,
                           message_hub=MessageHub.get_current_instance(),
                           logger=logging.getLogger('test'))


def test_teacher_copied_then_averaged_with_warmup():
    model = TwoModels(start=3)
    hook = MeanTeacherHook(decay=0.999)
    nn.init.constant_(model.student.weight, 1.0)
    nn.init.constant_(model.teacher.weight, 0.0)
    hook.after_train_iter(runner(model, 0), 0)  # still supervised only
    assert model.teacher.weight.sum() == 0
    hook.after_train_iter(runner(model, 2), 2)  # end of warm-up: copy
    assert torch.equal(model.teacher.weight, model.student.weight)
    nn.init.constant_(model.student.weight, 3.0)
    hook.after_train_iter(runner(model, 3), 3)  # d = 1 - 1/1 = 0
    assert torch.allclose(model.teacher.weight, torch.full((2, 2), 3.0))
    nn.init.constant_(model.student.weight, 5.0)
    hook.after_train_iter(runner(model, 4), 4)  # d = 1 - 1/2 = 0.5
    assert torch.allclose(model.teacher.weight, torch.full((2, 2), 4.0))
    assert MessageHub.get_current_instance().get_scalar(
        'train/ema_decay').current() == 0.5


def test_late_decay_is_capped():
    model = TwoModels(start=0)
    hook = MeanTeacherHook(decay=0.9)
    hook.before_train(runner(model, 0))
    assert torch.equal(model.teacher.weight, model.student.weight)
    teacher = model.teacher.weight.detach().clone()
    with torch.no_grad():
        model.student.weight.add_(1.0)
    hook.after_train_iter(runner(model, 1000), 1000)
    torch.testing.assert_close(model.teacher.weight, teacher + 0.1)


def test_mean_teacher_needs_a_teacher():
    with pytest.raises(TypeError, match='teacher'):
        MeanTeacherHook().before_train(runner(nn.Linear(1, 1), 0))


class FlowModel(nn.Module):
    uses_flow = True

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.perturbation = nn.Module()
        self.perturbation.flow = FlowDensityEstimator(
            in_channels=4, hidden_channels=8, num_components=2)
        self.perturbation.flow.requires_grad_(False)
        self.semi_train_cfg = dict(flow_start_iter=0)
        self.flow_batch = None


def flow_state(model):
    return {k: v.clone() for k, v in
            model.perturbation.flow.state_dict().items()}


def test_ddfp_hook_trains_skips_nans_and_resumes(caplog):
    model = FlowModel()
    hook = DDFPHook()
    hook.before_train(runner(model, 0))
    before = flow_state(model)
    model.flow_batch = (torch.randn(64, 4), torch.randint(-1, 2, (64, )))
    hook.after_train_iter(runner(model, 0), 0)
    assert model.flow_batch is None and hook.steps == 1
    assert not all(torch.equal(before[k], v)
                   for k, v in flow_state(model).items())
    assert not any(p.requires_grad
                   for p in model.perturbation.flow.parameters())
    trained = flow_state(model)
    bad = torch.randn(64, 4)
    bad[3, 1] = float('nan')
    model.flow_batch = (bad, torch.randint(-1, 2, (64, )))
    with caplog.at_level(logging.WARNING, logger='test'):
        hook.after_train_iter(runner(model, 1), 1)
    assert hook.skipped == 1 and 'step skipped' in caplog.text
    for key, value in flow_state(model).items():
        assert torch.equal(value, trained[key]) and torch.isfinite(
            value.float()).all()
    checkpoint = {}
    hook.before_save_checkpoint(runner(model, 1), checkpoint)
    resumed = DDFPHook()
    resumed.after_load_checkpoint(runner(model, 1), checkpoint)
    resumed.before_train(runner(model, 2))
    assert (resumed.steps, resumed.skipped) == (1, 1)
    saved = checkpoint['ddfp_hook']['optimizer']['state']
    restored = resumed.optimizer.state_dict()['state']
    assert saved.keys() == restored.keys()
    for index in saved:
        torch.testing.assert_close(saved[index]['exp_avg'],
                                   restored[index]['exp_avg'])


def test_ddfp_hook_learning_rate_decays_to_the_final_ratio():
    model = FlowModel()
    hook = DDFPHook(lr=1e-3, final_lr_ratio=0.01)
    hook.before_train(runner(model, 0))
    hook._set_lr(runner(model, 100, max_iters=100), model)
    assert hook.optimizer.param_groups[0]['lr'] == pytest.approx(1e-5)
    hook._set_lr(runner(model, 50, max_iters=100), model)
    assert hook.optimizer.param_groups[0]['lr'] == pytest.approx(1e-4)


def test_ddfp_hook_needs_a_flow():
    with pytest.raises(TypeError, match='DensityDescendingPerturbation'):
        DDFPHook().before_train(runner(nn.Linear(1, 1), 0))
