"""tools/train.py and tools/test.py end to end on generated data: a few
iterations, checkpoints, curves, resume from a full runner checkpoint (and
past a damaged one), testing with painted predictions and mmseg's
init_model, checkpoints that are damaged or of another model refused."""
import glob
import os
import os.path as osp
import shutil

import numpy as np
import pytest

from conftest import run_tool, write_tiny_config
from mmsuperpix.apis import DEFAULT_CHECKPOINT
from mmsuperpix.utils import load_local_checkpoint


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
    ckpt = load_local_checkpoint(osp.join(work_dir, 'iter_4.pth'))  # safe
    assert ckpt['meta']['iter'] == 4 and 'random_state' in ckpt
    assert not glob.glob(osp.join(work_dir, '*.part'))


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


@pytest.mark.parametrize('pointer', ['damaged', 'empty'])
def test_resume_past_a_damaged_last_checkpoint(trained, tmp_path, pointer):
    config, work_dir = trained
    copy = str(tmp_path / 'wd')
    os.makedirs(copy)
    shutil.copy(osp.join(work_dir, 'iter_4.pth'), copy)
    last = osp.join(copy, 'iter_6.pth')
    with open(osp.join(work_dir, 'iter_4.pth'), 'rb') as f:
        data = f.read()
    with open(last, 'wb') as f:  # cut short, as by a kill during the save
        f.write(data[:len(data) // 3])
    with open(osp.join(copy, 'last_checkpoint'), 'w') as f:
        f.write(last if pointer == 'damaged' else '')
    proc = run_tool(['tools/train.py', config, '--work-dir', copy,
                     '--resume', '--cfg-options', 'train_cfg.max_iters=6',
                     'train_cfg.val_interval=6'])
    assert proc.returncode == 0, proc.stderr[-4000:]
    reason = 'which is damaged' if pointer == 'damaged' else \
        'last_checkpoint is empty'
    output = proc.stdout + proc.stderr
    assert reason in output and 'newest intact' in output
    log = run_log(copy)
    assert 'Iter(train) [5/6]' in log and 'Iter(train) [4/6]' not in log
    assert load_local_checkpoint(last)['meta']['iter'] == 6  # rewritten


@pytest.mark.parametrize('case', ['superpixel weights', 'truncated'])
def test_test_tool_refuses_unusable_checkpoints(trained, tmp_path, case):
    config, work_dir = trained
    checkpoint = DEFAULT_CHECKPOINT
    if case == 'truncated':
        checkpoint = str(tmp_path / 'cut.pth')
        with open(osp.join(work_dir, 'iter_4.pth'), 'rb') as f:
            data = f.read()
        with open(checkpoint, 'wb') as f:
            f.write(data[:len(data) // 2])
    proc = run_tool(['tools/test.py', config, checkpoint, '--work-dir',
                     str(tmp_path / 'test_wd')])
    assert proc.returncode != 0
    message = proc.stderr.strip().splitlines()[-1]
    assert message.startswith('error: checkpoint ')
    assert checkpoint in message
    assert ('does not fit EncoderDecoder' if case == 'superpixel weights'
            else 'is damaged') in message
    assert 'Iter(test)' not in proc.stdout + proc.stderr
