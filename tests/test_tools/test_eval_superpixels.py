"""tools/eval_superpixels.py end to end on two BSDS500 val images."""
import csv
import json
import os.path as osp

import pytest

from conftest import run_tool, shared_path

AINET = 'configs/ainet/ainet_1xb16-4k_bsds500-208x208.py'
CURVES = ('asa', 'br', 'bp', 'ue', 'co', 'ev', 'br_bp')


def test_classic_and_learned(tmp_path):
    root = osp.dirname(osp.dirname(shared_path('BSDS500', 'images', 'val')))
    out = tmp_path / 'eval'
    proc = run_tool([
        'tools/eval_superpixels.py', '--dataset', 'bsds500', '--data-root',
        root, '--split', 'val', '--limit', '2', '--counts', '100', '200',
        '--methods', 'opencv_slic', f'ainet_random={AINET}',
        '--out-dir', str(out), '--threads', '2'
    ], timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ('results.json', 'results.csv', 'overlay_opencv_slic.png',
                 'overlay_ainet_random.png',
                 *(f'{c}.png' for c in CURVES)):
        assert osp.getsize(out / name) > 0, name

    result = json.loads((out / 'results.json').read_text())
    assert result['n_images'] == 2 and result['counts'] == [100, 200]
    assert result['overlay_count'] == 200
    assert result['methods']['ainet_random']['config'] == AINET
    rows = result['rows']
    assert [(r['method'], r['count']) for r in rows] == [
        ('opencv_slic', 100), ('opencv_slic', 200), ('ainet_random', 100),
        ('ainet_random', 200)]
    for row in rows:
        assert row['n_images'] == 2 and row['n_pairs'] >= 8
        assert 0 < row['asa'] <= 1 and 0 <= row['br'] <= 1
        assert row['n_superpixels'] > 10 and row['ms_per_image'] > 0

    with open(out / 'results.csv') as f:
        table = list(csv.DictReader(f))
    assert len(table) == 4 and {'method', 'count', 'n_superpixels', 'asa',
                                'ue_np', 'ms_per_image'} <= set(table[0])
    assert float(table[0]['asa']) == pytest.approx(rows[0]['asa'])

    printed = proc.stdout[proc.stdout.index('method'):].splitlines()
    assert printed[0].split()[:4] == ['method', 'count', 'K', 'ASA']
    body = [line.split() for line in printed[1:5]]
    assert [(b[0], b[1]) for b in body] == [
        ('opencv_slic', '100'), ('opencv_slic', '200'),
        ('ainet_random', '100'), ('ainet_random', '200')]


@pytest.mark.parametrize('args,message', [
    (['--methods', 'watershed'], "unknown --methods entry 'watershed'"),
    (['--methods', 'ai net=x.py'], 'must be NAME=CONFIG[:CHECKPOINT]'),
    (['--methods', 'x=configs/nope.py'], "'configs/nope.py' does not exist"),
    (['--counts', '0'], '--counts must be positive'),
    (['--data-root', 'no/such/dir'], 'does not exist'),
])
def test_bad_arguments(args, message, tmp_path):
    proc = run_tool(['tools/eval_superpixels.py', '--out-dir',
                     str(tmp_path), *args])
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1].startswith('error: ')
    assert message in proc.stderr
