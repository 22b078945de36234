"""tools/dist_train.sh really trains on 2 CPU processes (torchrun + gloo)."""
import glob
import os.path as osp
import sys

from conftest import free_port, run, write_tiny_config


def test_two_cpu_processes_train_and_write_one_checkpoint(tmp_path,
                                                          demo_root):
    marks = tmp_path / 'marks'
    marks.mkdir()
    extra = f'''
custom_imports = dict(imports=['mmsuperpix', 'rank_marker_hook'],
                      allow_failed_imports=False)
custom_hooks = [dict(type='MetricCurvesHook'),
                dict(type='RankMarkerHook', out_dir={str(marks)!r})]
'''
    config = write_tiny_config(tmp_path, demo_root, iters=3, extra=extra)
    work_dir = str(tmp_path / 'wd')
    proc = run(['bash', 'tools/dist_train.sh', config, '2', '--work-dir',
                work_dir, '--cfg-options', 'default_hooks.checkpoint.interval=3'],
               env=dict(PYTHON=sys.executable, PORT=str(free_port())))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    for rank in (0, 1):
        with open(marks / f'rank{rank}_of2.txt') as f:
            assert f.read().split() == ['1', '2', '3']
    assert [osp.basename(p) for p in glob.glob(osp.join(work_dir, '*.pth'))
            ] == ['iter_3.pth']
    log = open(glob.glob(osp.join(work_dir, '*', '*.log'))[0]).read()
    assert "dist_cfg: {'backend': 'gloo'}" in log
    assert 'Distributed training: True' in log
