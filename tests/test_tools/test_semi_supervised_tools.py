"""DDFP through the tools: a few iterations of every phase, an exact
--resume (iteration, optimizer, EMA teacher, flow and its optimizer, random
state), teacher export, plain mmseg testing, checkpoints of the wrong kind
refused, a diverging run stopped."""
import glob
import json
import os
import os.path as osp
import re
import shutil
import sys

import pytest
import torch

from conftest import REPO, assert_same, free_port, run, run_tool
from mmsuperpix.utils import load_local_checkpoint

DDFP = osp.join(REPO, 'configs', 'demo',
                'ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py')
PLAIN = osp.join(REPO, 'configs', 'demo',
                 'supervised_deeplabv3plus_r18w16-d8_1xb4-1500_demovoc-128x128.py')


def tiny_options(demo_root, iters):
    loader = ['num_workers=0', 'persistent_workers=False']
    # num_classes: one key for every head and the flow (demo labels <= 15)
    return [f'data_root={osp.join(demo_root, "VOC2012")}', 'labeled_split=2',
            'num_classes=16',
            f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            'train_dataloader.batch_size=4',
            'train_dataloader.sampler.batch_size=4',
            'model.semi_train_cfg.sup_only_iters=1',
            'model.semi_train_cfg.perturb_start_iter=2',
            'model.semi_train_cfg.pseudo_label.max_thr=0.0',
            'default_hooks.logger.interval=1',
            'default_hooks.checkpoint.interval=2'] + [
                f'{loader_key}.{opt}' for loader_key in
                ('train_dataloader', 'val_dataloader', 'test_dataloader')
                for opt in loader]


@pytest.fixture(scope='module')
def ddfp_run(tmp_path_factory, demo_root):
    """6 iterations, checkpoints at 2, 4 and 6, validation at 6."""
    work_dir = str(tmp_path_factory.mktemp('ddfp') / 'wd')
    proc = run_tool(['tools/train.py', DDFP, '--work-dir', work_dir,
                     '--cfg-options', *tiny_options(demo_root, 6)])
    assert proc.returncode == 0, proc.stderr[-4000:]
    return work_dir


def log_of(work_dir):
    with open(sorted(glob.glob(osp.join(work_dir, '*', '*.log')))[-1]) as f:
        return f.read()


def test_every_phase_runs_and_both_models_are_validated(ddfp_run):
    log = log_of(ddfp_run)
    assert 'perturb.decode.loss_ce' in log and 'perturbation.nll' in log
    assert 'teacher/mIoU' in log and 'student/mIoU' in log
    assert 'pseudo.precision' in log  # the demo's reference labels
    ckpt = load_local_checkpoint(osp.join(ddfp_run, 'iter_4.pth'))  # safe
    state = ckpt['auxiliary_estimators']['perturbation']
    assert state['first_step'] == 1  # the flow trains from iteration 2 on


def losses(work_dir):
    return re.findall(r'Iter\(train\) \[(\d)/6\].* loss: ([\d.]+)',
                      log_of(work_dir))


def test_resume_is_exact(ddfp_run, demo_root, tmp_path):
    """A run stopped after its iteration-4 checkpoint (as by kill -9)
    continues exactly as the uninterrupted run: same losses, and at
    iteration 6 the same student, EMA teacher, flow, optimizer and flow
    optimizer state."""
    work_dir = str(tmp_path / 'stopped')
    os.makedirs(work_dir)
    shutil.copy(osp.join(ddfp_run, 'iter_4.pth'), work_dir)
    with open(osp.join(work_dir, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(work_dir, 'iter_4.pth'))
    proc = run_tool(['tools/train.py', DDFP, '--work-dir', work_dir,
                     '--resume', '--cfg-options',
                     *tiny_options(demo_root, 6)])
    assert proc.returncode == 0, proc.stderr[-4000:]
    resumed = losses(work_dir)
    assert [i for i, _ in resumed] == ['5', '6']
    assert resumed == losses(ddfp_run)[4:]
    ours, reference = (load_local_checkpoint(osp.join(d, 'iter_6.pth'))
                       for d in (work_dir, ddfp_run))
    for part in ('state_dict', 'optimizer', 'auxiliary_estimators',
                 'random_state'):
        assert_same(ours[part], reference[part], part)


def exact_losses(work_dir):
    """Every logged loss term of every iteration, at full precision."""
    path = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))[0]
    with open(path) as f:
        records = [json.loads(line) for line in f if '"lr"' in line]
    return [{k: v for k, v in r.items() if 'loss' in k or k == 'step'}
            for r in records]


def test_same_seed_same_run(ddfp_run, demo_root, tmp_path):
    """A second fresh run with the same seed logs the same losses, bit for
    bit (CPU); every phase, the flow and the perturbation included."""
    work_dir = str(tmp_path / 'again')
    proc = run_tool(['tools/train.py', DDFP, '--work-dir', work_dir,
                     '--cfg-options', *tiny_options(demo_root, 6)])
    assert proc.returncode == 0, proc.stderr[-4000:]
    again, first = exact_losses(work_dir), exact_losses(ddfp_run)
    assert len(again) == 6 and again == first


def test_exported_teacher_is_a_plain_mmseg_model(ddfp_run, demo_root,
                                                 tmp_path):
    out = str(tmp_path / 'teacher.pth')
    proc = run_tool(['tools/model_converters/export_checkpoint.py',
                     osp.join(ddfp_run, 'iter_4.pth'), out, '--submodule',
                     'teacher'])
    assert proc.returncode == 0, proc.stderr[-2000:]
    state = load_local_checkpoint(out)['state_dict']
    assert not any(k.startswith(('teacher.', 'student.', 'perturbation.'))
                   or '.aux.' in k for k in state)
    proc = run_tool([
        'tools/test.py', PLAIN, out, '--work-dir', str(tmp_path / 'test'),
        '--cfg-options', f'test_dataloader.dataset.data_root='
        f'{osp.join(demo_root, "VOC2012")}', 'num_classes=16',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'mIoU' in proc.stdout + proc.stderr
    assert 'missing keys' not in (proc.stdout + proc.stderr).lower()


def test_overlapping_split_lists_are_refused(demo_root, tmp_path):
    splits = osp.join(demo_root, 'VOC2012', 'splits')
    os.makedirs(osp.join(splits, 'overlap'), exist_ok=True)
    with open(osp.join(splits, '2', 'labeled.txt')) as f:
        labeled = f.read()
    with open(osp.join(splits, 'overlap', 'labeled.txt'), 'w') as f:
        f.write(labeled)
    with open(osp.join(splits, 'overlap', 'unlabeled.txt'), 'w') as f:
        f.write(labeled.splitlines()[0] + '\n')
    opts = tiny_options(demo_root, 2)
    opts[1] = 'labeled_split=overlap'
    proc = run_tool(['tools/train.py', DDFP, '--work-dir',
                     str(tmp_path / 'wd'), '--cfg-options', *opts])
    assert proc.returncode != 0
    assert 'cannot be labeled and unlabeled' in proc.stderr


def plain_test_options(demo_root):
    return ['--cfg-options', f'data_root={osp.join(demo_root, "VOC2012")}',
            'test_dataloader.num_workers=0',
            'test_dataloader.persistent_workers=False']


def test_full_ddfp_checkpoint_on_the_plain_config_is_refused(
        ddfp_run, demo_root, tmp_path):
    proc = run_tool(['tools/test.py', PLAIN, osp.join(ddfp_run, 'iter_4.pth'),
                     '--work-dir', str(tmp_path),
                     *plain_test_options(demo_root)])
    assert proc.returncode != 0
    message = proc.stderr.strip().splitlines()[-1]
    assert message.startswith('error: ') and 'does not fit' in message
    assert 'export_checkpoint.py' in message and '--submodule teacher' in \
        message
    assert 'Iter(test)' not in proc.stdout + proc.stderr  # nothing evaluated


def test_diverging_run_stops_and_saves_no_nan(demo_root, tmp_path):
    work_dir = str(tmp_path / 'wd')
    opts = tiny_options(demo_root, 6)
    opts[opts.index('default_hooks.checkpoint.interval=2')] = \
        'default_hooks.checkpoint.interval=1'
    proc = run_tool(['tools/train.py', DDFP, '--work-dir', work_dir,
                     '--cfg-options', *opts, 'optim_wrapper.optimizer.lr=1e6'])
    assert proc.returncode != 0
    message = proc.stderr.strip().splitlines()[-1]
    assert message.startswith('error: training diverged')
    assert 'optim_wrapper.optimizer.lr' in message
    assert not osp.exists(osp.join(work_dir, 'iter_6.pth'))
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        for key, value in load_local_checkpoint(path)['state_dict'].items():
            if value.is_floating_point():
                assert torch.isfinite(value).all(), (path, key)


def test_ddfp_trains_on_two_cpu_processes(demo_root, tmp_path):
    """torchrun + gloo: the flow's gradients and the adaptive thresholds'
    statistics are reduced over ranks without a hang."""
    work_dir = str(tmp_path / 'dist')
    proc = run(['bash', 'tools/dist_train.sh', DDFP, '2', '--work-dir',
                work_dir, '--cfg-options', *tiny_options(demo_root, 3)],
               env=dict(PYTHON=sys.executable, PORT=str(free_port())))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    log = log_of(work_dir)
    assert 'Distributed training: True' in log
    assert 'perturb.decode.loss_ce' in log and 'perturbation.nll' in log
