"""summarize_run.py: files of a run, final and best mIoU, the baseline."""
import json
import os
import os.path as osp

from conftest import run_tool


def fake_run(root, name, records):
    work_dir = osp.join(root, name)
    vis = osp.join(work_dir, '20260101_000000', 'vis_data')
    os.makedirs(vis)
    with open(osp.join(vis, 'scalars.json'), 'w') as f:
        for record in records:
            f.write(json.dumps(record) + '\n')
    with open(osp.join(work_dir, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(work_dir, 'iter_20.pth'))
    return work_dir


def test_semi_run_against_a_supervised_baseline(tmp_path):
    semi = fake_run(str(tmp_path), 'semi', [
        {'step': 10, 'lr': 0.1, 'loss': 1.0},
        {'step': 10, 'teacher/mIoU': 60.0, 'student/mIoU': 70.0},
        {'step': 20, 'teacher/mIoU': 66.0, 'student/mIoU': 65.0}])
    base = fake_run(str(tmp_path), 'base', [{'step': 20, 'mIoU': 61.5}])
    proc = run_tool(['tools/analysis_tools/summarize_run.py', semi,
                     '--baseline', base])
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert 'student/mIoU: 70.00 @10' in out  # the best, as DDFP reports
    assert 'teacher/mIoU    : 66.00 (+4.50)' in out
    assert 'student/mIoU    : 65.00 (+3.50)' in out
    assert 'baseline mIoU   : 61.50' in out


def test_baseline_without_miou_is_an_error(tmp_path):
    semi = fake_run(str(tmp_path), 'semi', [{'step': 20, 'mIoU': 1.0}])
    base = fake_run(str(tmp_path), 'base', [{'step': 20, 'aAcc': 1.0}])
    proc = run_tool(['tools/analysis_tools/summarize_run.py', semi,
                     '--baseline', base])
    assert proc.returncode != 0 and 'logged no mIoU' in proc.stderr
