"""tools/test.py on BSDS500 with the shipped AINet: the benchmark row and
the boundary overlays of SuperpixelVisualizationHook."""
import glob
import os.path as osp

import pytest

from conftest import REPO, run_tool, shared_path
from mmsuperpix.apis import DEFAULT_CHECKPOINT

CONFIG = osp.join(REPO, 'configs', 'ainet',
                  'ainet_1xb16-4k_bsds500-208x208.py')


def test_two_val_images(tmp_path):
    root = shared_path('BSDS500')
    if not osp.isfile(DEFAULT_CHECKPOINT):
        pytest.skip('the shipped weights are not in this checkout')
    show = tmp_path / 'show'
    proc = run_tool([
        'tools/test.py', CONFIG, DEFAULT_CHECKPOINT, '--work-dir',
        str(tmp_path / 'wd'), '--show-dir', str(show), '--cfg-options',
        f'test_dataloader.dataset.data_root={root}',
        'test_dataloader.dataset.indices=2', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ])
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout + proc.stderr
    assert '|  ASA   |   BR   |' in out and 'n_superpixels' in out
    assert len(glob.glob(str(show / '**' / '*.png'), recursive=True)) == 2
