"""tools/train.py and tools/test.py with superpixel pooling configs, the
superpixels made in the data pipeline (SLIC) or by the frozen AINet."""
import os.path as osp

import pytest

from conftest import REPO, run_tool, write_tiny_config

POOL = osp.join(REPO, 'configs', 'superpixel_pooling')
CONFIGS = {
    'pipeline': 'sp-pool-slic_deeplabv3plus_r18w16-d8_1xb8-1500_'
                'demovoc-128x128.py',
    'model': 'sp-pool_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py',
}


@pytest.mark.parametrize('source', sorted(CONFIGS))
def test_train_then_test_with_pooling(source, demo_root, tmp_path):
    config = write_tiny_config(tmp_path, demo_root, iters=2,
                               base=osp.join(POOL, CONFIGS[source]))
    work = str(tmp_path / 'work')
    proc = run_tool(['tools/train.py', config, '--work-dir', work])
    assert proc.returncode == 0, proc.stderr[-4000:]
    proc = run_tool(['tools/test.py', config, osp.join(work, 'iter_2.pth'),
                     '--work-dir', str(tmp_path / 'test')])
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = proc.stdout + proc.stderr
    assert 'mIoU' in out and 'bFscore' in out
