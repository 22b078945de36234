"""tools/superpixelize.py on a folder: label PNGs, overlays, failures."""
import os.path as osp

import cv2
import numpy as np

from conftest import REPO, run_tool

CONFIG = osp.join(REPO, 'configs', 'scn', 'scn_1xb16-4k_bsds500-208x208.py')


def test_folder_with_one_unreadable_file(tmp_path):
    src = tmp_path / 'images'
    src.mkdir()
    rng = np.random.default_rng(0)
    for name, size in (('a.png', (40, 60)), ('b.jpg', (50, 30))):
        cv2.imwrite(str(src / name),
                    rng.integers(0, 255, (*size, 3), dtype=np.uint8))
    (src / 'broken.png').write_bytes(b'not an image')
    out = tmp_path / 'out'
    proc = run_tool(['tools/superpixelize.py', str(src), '--n-segments', '8',
                     '--out-dir', str(out), '--config', CONFIG])
    assert proc.returncode == 1  # one failure, reported, nothing lost
    assert 'broken.png' in proc.stderr and '2 of 3 image(s)' in proc.stdout
    labels = cv2.imread(str(out / 'a_labels.png'), cv2.IMREAD_UNCHANGED)
    assert labels.dtype == np.uint16 and labels.shape == (40, 60)
    assert np.array_equal(np.unique(labels), np.arange(labels.max() + 1))
    overlay = cv2.imread(str(out / 'b_overlay.png'))
    assert overlay.shape == (50, 30, 3)


def test_missing_input(tmp_path):
    proc = run_tool(['tools/superpixelize.py', str(tmp_path / 'nope'),
                     '--out-dir', str(tmp_path)])
    assert proc.returncode != 0 and 'neither an image file nor a folder' in \
        proc.stderr
