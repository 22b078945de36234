"""tools/test.py on BSDS500 with the shipped weights (the default SSN-on-SCN
model and AINet): the benchmark row and the boundary overlays of
SuperpixelVisualizationHook."""
import glob
import os.path as osp

import pytest

from conftest import REPO, run_tool, shared_path
from mmsuperpix.apis import AINET_CHECKPOINT, DEFAULT_CHECKPOINT

MODELS = {
    'default': ('configs/ssn/ssn_scn_1xb16-warmup-cosine-4k_bsds500-'
                '208x208.py', DEFAULT_CHECKPOINT),
    'AINet': ('configs/ainet/ainet_1xb16-4k_bsds500-208x208.py',
              AINET_CHECKPOINT),
}


@pytest.mark.parametrize('model', sorted(MODELS))
def test_two_val_images(tmp_path, model):
    root = shared_path('BSDS500')
    config, checkpoint = MODELS[model]
    if not osp.isfile(checkpoint):
        pytest.skip('the shipped weights are not in this checkout')
    show = tmp_path / 'show'
    proc = run_tool([
        'tools/test.py', osp.join(REPO, config), checkpoint, '--work-dir',
        str(tmp_path / 'wd'), '--show-dir', str(show), '--cfg-options',
        f'test_dataloader.dataset.data_root={root}',
        'test_dataloader.dataset.indices=2', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ])
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout + proc.stderr
    assert '|  ASA   |   BR   |' in out and 'n_superpixels' in out
    assert len(glob.glob(str(show / '**' / '*.png'), recursive=True)) == 2
