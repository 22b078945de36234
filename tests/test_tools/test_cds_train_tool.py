"""tools/train.py on CDS (BSDS500 train): the gradient modality reaches the
auxiliary branch, the CLUB estimator's optimiser state survives --resume,
and the run exports (without its training-only parts) to the plain CDS
inference config that the superpixel API and CLI take."""
import os.path as osp

import cv2
import numpy as np
import pytest

from conftest import REPO, run_tool, shared_path
from mmsuperpix.apis import init_superpixel_model, superpixelize
from mmsuperpix.utils import load_local_checkpoint

CDS = osp.join(REPO, 'configs', 'cds',
               'cds_1xb16-warmup-cosine-4k_bsds500-208x208.py')
PLAIN = osp.join(REPO, 'mmsuperpix', 'model_zoo', 'cds_bsds500.py')


def options(data_root, iters):
    return [f'data_root={data_root}', f'train_cfg.max_iters={iters}',
            'train_cfg.val_begin=1000', 'train_dataloader.batch_size=2',
            'crop_size=(64,64)', 'default_hooks.checkpoint.interval=2'] + [
                f'{loader}.{opt}' for loader in ('train_dataloader',
                                                 'val_dataloader')
                for opt in ('num_workers=0', 'persistent_workers=False')]


@pytest.fixture(scope='module')
def cds_run(tmp_path_factory):
    data_root = osp.dirname(osp.dirname(shared_path('BSDS500', 'images',
                                                    'train')))
    work_dir = str(tmp_path_factory.mktemp('cds') / 'wd')
    proc = run_tool(['tools/train.py', CDS, '--work-dir', work_dir,
                     '--cfg-options', *options(data_root, 2)])
    assert proc.returncode == 0, proc.stderr[-4000:]
    return data_root, work_dir


def test_estimator_state_is_saved_and_resumed(cds_run):
    data_root, work_dir = cds_run
    ckpt = load_local_checkpoint(osp.join(work_dir, 'iter_2.pth'))
    state = ckpt['auxiliary_estimators']['estimator']
    assert state['optimizer']['state']  # Adam moments after two steps
    assert any(k.startswith('aux_embedder.') for k in ckpt['state_dict'])
    proc = run_tool(['tools/train.py', CDS, '--work-dir', work_dir,
                     '--resume', '--cfg-options', *options(data_root, 4)])
    assert proc.returncode == 0, proc.stderr[-4000:]
    log = open(osp.join(work_dir, 'last_checkpoint')).read()
    assert load_local_checkpoint(log.strip())['meta']['iter'] == 4


def test_export_gives_a_plain_superpixel_model(cds_run, tmp_path):
    _, work_dir = cds_run
    out = str(tmp_path / 'cds.pth')
    proc = run_tool(['tools/model_converters/export_checkpoint.py',
                     osp.join(work_dir, 'iter_2.pth'), out, '--fp16',
                     '--drop', 'aux_embedder', 'estimator'])
    assert proc.returncode == 0, proc.stderr[-4000:]
    state = load_local_checkpoint(out)['state_dict']
    assert not any(k.startswith(('aux_embedder.', 'estimator.'))
                   for k in state)
    model = init_superpixel_model(PLAIN, out)
    assert type(model).__name__ == 'SuperpixelSegmentor'
    image = np.random.default_rng(0).integers(0, 255, (48, 64, 3), np.uint8)
    labels = superpixelize(model, image, 12)
    assert labels.shape == (48, 64) and labels.min() == 0
    path = str(tmp_path / 'img.png')
    cv2.imwrite(path, image)
    proc = run_tool(['tools/superpixelize.py', path, '--config', PLAIN,
                     '--checkpoint', out, '--n-segments', '12',
                     '--out-dir', str(tmp_path / 'sp')])
    assert proc.returncode == 0, proc.stderr[-4000:]
    proc = run_tool(['tools/model_converters/export_checkpoint.py',
                     osp.join(work_dir, 'iter_2.pth'), out, '--drop',
                     'flow'])
    assert proc.returncode != 0 and "no weights under 'flow.'" in proc.stderr
