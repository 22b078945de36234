"""The hooks every tools/ run gets: a kill during a save loses nothing, a
non-finite loss stops training before anything is saved, resume picks an
intact checkpoint and restores the model's random state. End-to-end runs
are in test_tools."""
import logging
import os
import os.path as osp
import subprocess
import sys
import textwrap
import time
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub

from mmsuperpix.engine import (AtomicCheckpointHook, NonFiniteGuardHook,
                               RandomStateHook, TrainingDivergedError)
from mmsuperpix.utils import (CheckpointError, add_run_safeguards,
                              find_resume_checkpoint)

SLOW_SAVE = textwrap.dedent('''
    import logging, os, os.path as osp, sys, time
    from types import SimpleNamespace
    import torch
    from mmengine.logging import MessageHub
    from mmsuperpix.engine import AtomicCheckpointHook

    work_dir = sys.argv[1]

    def save_checkpoint(out_dir, filename, *args, slow=False, **kwargs):
        if not slow:
            return torch.save(dict(step=1), osp.join(out_dir, filename))
        with open(osp.join(out_dir, filename), 'wb') as f:
            for _ in range(200):  # 20 MB in 10 s
                f.write(b'x' * 100000)
                f.flush()
                time.sleep(0.05)

    runner = SimpleNamespace(work_dir=work_dir,
                             logger=logging.getLogger('t'),
                             message_hub=MessageHub.get_instance('t'),
                             save_checkpoint=save_checkpoint)
    hook = AtomicCheckpointHook(interval=1, by_epoch=False, max_keep_ckpts=1)
    hook.before_train(runner)
    hook._save_checkpoint_with_step(runner, 1, dict(iter=1))
    hook.args = dict(slow=True)
    print('saved 1', flush=True)
    hook._save_checkpoint_with_step(runner, 2, dict(iter=2))
''')


def test_a_kill_during_a_save_leaves_the_previous_checkpoint(tmp_path):
    work = str(tmp_path)
    script = tmp_path / 'slow_save.py'
    script.write_text(SLOW_SAVE)
    proc = subprocess.Popen([sys.executable, str(script), work],
                            stdout=subprocess.PIPE, text=True)
    while proc.stdout.readline().strip() != 'saved 1':  # skip log lines
        assert proc.poll() is None
    partial = osp.join(work, 'iter_2.pth.part')
    deadline = time.time() + 60
    while not (osp.isfile(partial) and osp.getsize(partial) > 0):
        assert time.time() < deadline and proc.poll() is None
        time.sleep(0.02)
    proc.kill()  # SIGKILL in the middle of writing iter_2
    proc.wait()
    assert not osp.exists(osp.join(work, 'iter_2.pth'))
    first = osp.join(work, 'iter_1.pth')
    # intact, and kept although max_keep_ckpts=1
    assert torch.load(first) == dict(step=1)
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read() == first
    assert find_resume_checkpoint(work) == first
    # the next run cleans up the partial file
    runner = SimpleNamespace(work_dir=work, logger=logging.getLogger('t'),
                             message_hub=MessageHub.get_instance('clean'))
    AtomicCheckpointHook(interval=1).before_train(runner)
    assert not osp.exists(partial)


def test_outdated_checkpoints_are_deleted_after_the_new_one(tmp_path):
    calls = []

    def save_checkpoint(out_dir, filename, *args, **kwargs):
        calls.append(sorted(os.listdir(out_dir)))
        with open(osp.join(out_dir, filename), 'wb') as f:
            f.write(b'ok')

    runner = SimpleNamespace(work_dir=str(tmp_path),
                             logger=logging.getLogger('t'),
                             message_hub=MessageHub.get_instance('keep'),
                             save_checkpoint=save_checkpoint)
    hook = AtomicCheckpointHook(interval=1, by_epoch=False, max_keep_ckpts=2)
    hook.before_train(runner)
    for step in (1, 2, 3):
        hook._save_checkpoint_with_step(runner, step, dict(iter=step))
    assert 'iter_1.pth' in calls[2]  # still there while iter_3 is written
    assert sorted(f for f in os.listdir(tmp_path) if f.endswith('.pth')) \
        == ['iter_2.pth', 'iter_3.pth']


def stub_runner(iteration=4, model=None, resume=False):
    return SimpleNamespace(iter=iteration, model=model,
                           cfg=Config(dict(resume=resume)))


def test_non_finite_loss_stops_training():
    hook = NonFiniteGuardHook()
    finite = dict(loss=torch.tensor(1.0), acc_seg=torch.tensor(float('nan')))
    hook.after_train_iter(stub_runner(), 0, outputs=finite)  # acc: no loss
    with pytest.raises(TrainingDivergedError) as info:
        hook.after_train_iter(
            stub_runner(), 0,
            outputs=dict(loss=torch.tensor(float('nan')),
                         **{'unsup.decode.loss_ce': torch.tensor(float('inf'))}))
    message = str(info.value)
    assert 'iteration 5' in message and 'unsup.decode.loss_ce=inf' in message
    assert 'optim_wrapper.optimizer.lr' in message


def test_non_finite_weights_are_never_saved():
    hook = NonFiniteGuardHook()
    state = dict(w=torch.ones(3), n=torch.tensor(2))
    hook.before_save_checkpoint(stub_runner(), dict(state_dict=state))
    state['teacher.w'] = torch.tensor([1.0, float('nan')])
    with pytest.raises(TrainingDivergedError, match="'teacher.w'"):
        hook.before_save_checkpoint(
            stub_runner(), dict(meta=dict(iter=6), state_dict=state))
    # the optimiser's state too; not the logs
    del state['teacher.w']
    inf = torch.tensor([float('inf')])
    logs = dict(meta=dict(iter=6, loss=inf), message_hub=dict(x=inf))
    hook.before_save_checkpoint(stub_runner(), dict(state_dict=state, **logs))
    optimizer = dict(state={0: dict(exp_avg=inf)}, param_groups=[])
    with pytest.raises(TrainingDivergedError,
                       match=r"optimizer\['state'\]\[0\]\['exp_avg'\]"):
        hook.before_save_checkpoint(
            stub_runner(), dict(state_dict=state, optimizer=optimizer))


def test_random_state_is_saved_and_restored_before_the_first_iteration():
    hook = RandomStateHook()
    checkpoint = {}
    torch.manual_seed(1)
    hook.before_save_checkpoint(stub_runner(), checkpoint)
    expected = torch.rand(3)
    torch.manual_seed(2)  # what a fresh process does
    hook.after_load_checkpoint(stub_runner(resume=True), checkpoint)
    hook.before_train_iter(stub_runner(), 4)
    assert torch.equal(torch.rand(3), expected)
    hook.before_train_iter(stub_runner(), 5)  # only once
    assert not torch.equal(torch.rand(3), expected)


def test_validation_does_not_move_the_training_stream():
    hook = RandomStateHook()
    torch.manual_seed(0)
    expected = torch.rand(2)
    torch.manual_seed(0)
    hook.before_val_epoch(stub_runner())
    torch.rand(10)  # e.g. a validation loader's worker seed
    hook.after_val_epoch(stub_runner())
    assert torch.equal(torch.rand(2), expected)


def test_load_from_is_not_a_resume():
    hook = RandomStateHook()
    torch.manual_seed(1)
    checkpoint = {}
    hook.before_save_checkpoint(stub_runner(), checkpoint)
    hook.after_load_checkpoint(stub_runner(resume=False), checkpoint)
    assert hook._pending is None


def write(path, data=b''):
    with open(path, 'wb') as f:
        f.write(data)


def test_resume_falls_back_to_the_newest_intact_checkpoint(tmp_path):
    work = str(tmp_path)
    assert find_resume_checkpoint(work) is None  # nothing: fresh start
    for step in (2, 4):
        torch.save(dict(step=step), osp.join(work, f'iter_{step}.pth'))
    with open(osp.join(work, 'iter_4.pth'), 'rb') as f:
        intact = f.read()
    write(osp.join(work, 'iter_6.pth'), intact[:len(intact) // 2])
    pointer = osp.join(work, 'last_checkpoint')
    write(pointer, osp.join(work, 'iter_6.pth').encode())
    assert find_resume_checkpoint(work) == osp.join(work, 'iter_4.pth')
    write(pointer)  # empty
    assert find_resume_checkpoint(work) == osp.join(work, 'iter_4.pth')
    write(pointer, osp.join(work, 'iter_2.pth').encode())
    assert find_resume_checkpoint(work) == osp.join(work, 'iter_2.pth')
    os.remove(osp.join(work, 'iter_2.pth'))
    os.remove(osp.join(work, 'iter_4.pth'))
    write(pointer)
    with pytest.raises(CheckpointError, match='last_checkpoint is empty'):
        find_resume_checkpoint(work)


def test_safeguards_are_added_once_and_checkpoint_hook_made_atomic():
    cfg = Config(dict(
        custom_hooks=[dict(type='RandomStateHook')],
        default_hooks=dict(checkpoint=dict(type='CheckpointHook',
                                           interval=7))))
    add_run_safeguards(cfg)
    add_run_safeguards(cfg)
    types = [hook['type'] for hook in cfg.custom_hooks]
    assert sorted(types) == ['CheckpointFitHook', 'NonFiniteGuardHook',
                             'RandomStateHook']
    assert cfg.default_hooks.checkpoint == dict(type='AtomicCheckpointHook',
                                                interval=7)
    no_checkpoints = Config(dict(default_hooks=dict(checkpoint=None)))
    add_run_safeguards(no_checkpoints)
    assert no_checkpoints.default_hooks.checkpoint is None
