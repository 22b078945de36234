"""tools/train.py and tools/test.py end to end on generated data: a few
iterations, checkpoints, curves, resume from a full runner checkpoint,
testing with painted predictions and mmseg's init_model."""
import glob
import os.path as osp

import numpy as np
import pytest

from conftest import run_tool, write_tiny_config


@pytest.fixture(scope='module')
def trained(tmp_path_factory, demo_root):
    work = tmp_path_factory.mktemp('train_run')
    config = write_tiny_config(work, demo_root, iters=4)
    work_dir = str(work / 'work_dir')
    proc = run_tool(['tools/train.py', config, '--work-dir', work_dir])
    assert proc.returncode == 0, proc.stderr[-4000:]
    return config, work_dir


def run_log(work_dir):
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.log')))
    with open(logs[-1]) as f:
        return f.read()


def test_train_writes_checkpoints_metrics_and_curves(trained):
    _, work_dir = trained
    assert osp.isfile(osp.join(work_dir, 'iter_2.pth'))
    assert osp.isfile(osp.join(work_dir, 'iter_4.pth'))
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        assert f.read().strip().endswith('iter_4.pth')
    log = run_log(work_dir)
    assert 'Iter(train) [4/4]' in log and 'mIoU' in log
    assert glob.glob(osp.join(work_dir, '*', 'training_curves.png'))


def test_resume_continues_from_the_full_checkpoint(trained):
    config, work_dir = trained
    proc = run_tool(['tools/train.py', config, '--work-dir', work_dir,
                     '--resume', '--cfg-options', 'train_cfg.max_iters=6',
                     'train_cfg.val_interval=6'])
    assert proc.returncode == 0, proc.stderr[-4000:]
    log = run_log(work_dir)
    assert 'resumed' in log.lower() and 'iter_4.pth' in log
    assert 'Iter(train) [5/6]' in log and 'Iter(train) [1/6]' not in log
    assert osp.isfile(osp.join(work_dir, 'iter_6.pth'))


def test_test_tool_evaluates_and_paints(trained, tmp_path):
    config, work_dir = trained
    show_dir = str(tmp_path / 'show')
    proc = run_tool(['tools/test.py', config,
                     osp.join(work_dir, 'iter_4.pth'), '--work-dir',
                     str(tmp_path / 'test_wd'), '--show-dir', show_dir])
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert 'mIoU' in proc.stdout + proc.stderr
    painted = glob.glob(osp.join(tmp_path, '**', '*.png'), recursive=True)
    assert len(painted) == 4  # one per validation image


def test_mmseg_init_model_reads_the_checkpoint(trained, demo_root):
    from mmseg.apis import inference_model, init_model

    import mmsuperpix  # noqa: F401
    config, work_dir = trained
    model = init_model(config, osp.join(work_dir, 'iter_4.pth'), 'cpu')
    image = osp.join(demo_root, 'VOC2012', 'JPEGImages', 'demo_000000.jpg')
    result = inference_model(model, image)
    pred = result.pred_sem_seg.data.numpy()
    assert pred.shape[0] == 1 and np.isin(pred, np.arange(21)).all()
