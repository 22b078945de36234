"""tools/train.py on a superpixel model (AINet, BSDS500 train): its runner
checkpoint loads with the safe loader, resumes, and exports to weights the
superpixel API accepts (and the API refuses a segmentation checkpoint)."""
import os.path as osp

import pytest
import torch

from conftest import REPO, run_tool, shared_path
from mmsuperpix.apis import init_superpixel_model
from mmsuperpix.utils import CheckpointError, load_local_checkpoint

AINET = osp.join(REPO, 'configs', 'ainet', 'ainet_1xb16-4k_bsds500-208x208.py')


def options(data_root, iters):
    return [f'data_root={data_root}', f'train_cfg.max_iters={iters}',
            'train_cfg.val_begin=1000', 'train_dataloader.batch_size=2',
            'default_hooks.checkpoint.interval=2'] + [
                f'{loader}.{opt}' for loader in ('train_dataloader',
                                                 'val_dataloader')
                for opt in ('num_workers=0', 'persistent_workers=False')]


@pytest.fixture(scope='module')
def ainet_run(tmp_path_factory):
    data_root = osp.dirname(osp.dirname(shared_path('BSDS500', 'images',
                                                    'train')))
    work_dir = str(tmp_path_factory.mktemp('ainet') / 'wd')
    proc = run_tool(['tools/train.py', AINET, '--work-dir', work_dir,
                     '--cfg-options', *options(data_root, 2)])
    assert proc.returncode == 0, proc.stderr[-4000:]
    return data_root, work_dir


def test_checkpoint_loads_safely_and_resumes(ainet_run):
    data_root, work_dir = ainet_run
    ckpt = load_local_checkpoint(osp.join(work_dir, 'iter_2.pth'))
    assert ckpt['meta']['iter'] == 2 and 'optimizer' in ckpt
    proc = run_tool(['tools/train.py', AINET, '--work-dir', work_dir,
                     '--resume', '--cfg-options', *options(data_root, 4)])
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert load_local_checkpoint(osp.join(work_dir,
                                          'iter_4.pth'))['meta']['iter'] == 4


def test_superpixel_api_takes_it_and_refuses_a_segmentor(ainet_run, tmp_path):
    _, work_dir = ainet_run
    model = init_superpixel_model(AINET, osp.join(work_dir, 'iter_2.pth'))
    assert hasattr(model, 'predict_superpixel_batch')
    segmentor = str(tmp_path / 'segmentor.pth')
    torch.save(dict(state_dict={'backbone.stem.0.weight': torch.zeros(1)}),
               segmentor)
    with pytest.raises(CheckpointError, match='does not fit'):
        init_superpixel_model(AINET, segmentor)
