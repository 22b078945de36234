"""DDFP through the tools: a few iterations of every phase, --resume with the
flow optimizer restored, teacher export, plain mmseg testing."""
import glob
import os
import os.path as osp

import pytest
import torch

from conftest import REPO, run_tool

DDFP = osp.join(REPO, 'configs', 'demo',
                'ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py')
PLAIN = osp.join(REPO, 'configs', 'demo',
                 'supervised_deeplabv3plus_r18w16-d8_1xb4-1500_demovoc-128x128.py')


def tiny_options(demo_root, iters):
    loader = ['num_workers=0', 'persistent_workers=False']
    return [f'data_root={osp.join(demo_root, "VOC2012")}', 'labeled_split=2',
            f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            'train_dataloader.batch_size=4',
            'train_dataloader.sampler.batch_size=4',
            'model.semi_train_cfg.sup_only_iters=1',
            'model.semi_train_cfg.flow_start_iter=1',
            'model.semi_train_cfg.perturb_start_iter=2',
            'model.semi_train_cfg.conf_thr=0.0',
            'default_hooks.logger.interval=1',
            'default_hooks.checkpoint.interval=2'] + [
                f'{loader_key}.{opt}' for loader_key in
                ('train_dataloader', 'val_dataloader', 'test_dataloader')
                for opt in loader]


@pytest.fixture(scope='module')
def ddfp_run(tmp_path_factory, demo_root):
    work_dir = str(tmp_path_factory.mktemp('ddfp') / 'wd')
    proc = run_tool(['tools/train.py', DDFP, '--work-dir', work_dir,
                     '--cfg-options', *tiny_options(demo_root, 4)])
    assert proc.returncode == 0, proc.stderr[-4000:]
    return work_dir


def log_of(work_dir):
    with open(sorted(glob.glob(osp.join(work_dir, '*', '*.log')))[-1]) as f:
        return f.read()


def test_every_phase_runs_and_both_models_are_validated(ddfp_run):
    log = log_of(ddfp_run)
    assert 'perturb.decode.loss_ce' in log and 'flow_nll' in log
    assert 'teacher/mIoU' in log and 'student/mIoU' in log
    ckpt = torch.load(osp.join(ddfp_run, 'iter_4.pth'), weights_only=False)
    assert ckpt['ddfp_hook']['steps'] == 3  # iterations 2, 3, 4


def test_resume_restores_the_flow_optimizer(ddfp_run, demo_root):
    proc = run_tool(['tools/train.py', DDFP, '--work-dir', ddfp_run,
                     '--resume', '--cfg-options',
                     *tiny_options(demo_root, 6)])
    assert proc.returncode == 0, proc.stderr[-4000:]
    ckpt = torch.load(osp.join(ddfp_run, 'iter_6.pth'), weights_only=False)
    assert ckpt['ddfp_hook']['steps'] == 5  # counting went on
    assert 'Iter(train) [5/6]' in log_of(ddfp_run)


def test_exported_teacher_is_a_plain_mmseg_model(ddfp_run, demo_root,
                                                 tmp_path):
    out = str(tmp_path / 'teacher.pth')
    proc = run_tool(['tools/model_converters/export_checkpoint.py',
                     osp.join(ddfp_run, 'iter_4.pth'), out, '--submodule',
                     'teacher'])
    assert proc.returncode == 0, proc.stderr[-2000:]
    state = torch.load(out, weights_only=False)['state_dict']
    assert not any(k.startswith(('teacher.', 'student.', 'perturbation.'))
                   or '.aux.' in k for k in state)
    proc = run_tool([
        'tools/test.py', PLAIN, out, '--work-dir', str(tmp_path / 'test'),
        '--cfg-options', f'test_dataloader.dataset.data_root='
        f'{osp.join(demo_root, "VOC2012")}', 'test_dataloader.num_workers=0',
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
