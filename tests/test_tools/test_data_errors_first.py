"""Data and --cfg-options errors end the tools before the runner is built:
the message is the last line and nothing of the model or the config dump
is printed."""
import os.path as osp

import pytest

from conftest import DEMO_CONFIG, REPO, run_tool
from mmsuperpix.apis import AINET_CHECKPOINT

DDFP = osp.join(REPO, 'configs', 'demo',
                'ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py')
AINET = osp.join(REPO, 'configs', 'ainet',
                 'ainet_1xb16-4k_bsds500-208x208.py')


def assert_stops_early(proc, *expected):
    """Non-zero exit, one short error as the last line, no runner."""
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-2000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith('error: '), out[-2000:]
    for text in expected:
        assert text in last, last
    assert 'Config:' not in out and len(out.splitlines()) < 10, out[-2000:]


def train(config, tmp_path, *options):
    return run_tool(['tools/train.py', config, '--work-dir',
                     str(tmp_path / 'wd'), '--cfg-options', *options])


@pytest.fixture
def voc(demo_root):
    return osp.join(demo_root, 'VOC2012')


def test_missing_data_root(tmp_path):
    proc = train(DEMO_CONFIG, tmp_path, f'data_root={tmp_path}/nope')
    assert_stops_early(proc, 'error: train_dataloader: ',
                       f"data_root '{tmp_path}/nope' does not exist")


def test_split_list_naming_missing_files(voc, tmp_path):
    split = tmp_path / 'split.txt'
    split.write_text('demo_000001\nno_such_image\n')
    proc = train(DEMO_CONFIG, tmp_path, f'data_root={voc}',
                 f'train_dataloader.dataset.ann_file={split}')
    assert_stops_early(proc, 'error: train_dataloader: ', '1 of 2 images',
                       'no_such_image')


def test_empty_split_list(voc, tmp_path):
    split = tmp_path / 'empty.txt'
    split.write_text('\n')
    proc = train(DEMO_CONFIG, tmp_path, f'data_root={voc}',
                 f'val_dataloader.dataset.ann_file={split}')
    assert_stops_early(proc, 'error: val_dataloader: ', 'lists no images')


def test_labeled_and_unlabeled_lists_overlap(voc, tmp_path):
    proc = train(DDFP, tmp_path, f'data_root={voc}', 'labeled_split=2',
                 'train_dataloader.dataset.datasets.1.ann_file='
                 'splits/2/labeled.txt')
    assert_stops_early(proc, 'error: train_dataloader: ',
                       'cannot be labeled and unlabeled')


def test_test_tool_checks_the_test_data(tmp_path):
    proc = run_tool(['tools/test.py', AINET, AINET_CHECKPOINT,
                     '--work-dir', str(tmp_path / 'wd'), '--cfg-options',
                     f'data_root={tmp_path}/nope'])
    assert_stops_early(proc, 'error: test_dataloader: ', f'{tmp_path}/nope')


def test_option_of_the_wrong_type(tmp_path):
    proc = train(DEMO_CONFIG, tmp_path, 'train_cfg.max_iters=abc')
    assert_stops_early(proc, 'train_cfg.max_iters takes an integer',
                       "'abc'", 'e.g. --cfg-options train_cfg.max_iters=')
