"""DINO pretraining through the tools on the tiny demo data (no labels
loaded), exact resume, its teacher exported and loaded as the frozen
backbone of the NeuralEF DINO config."""
import os.path as osp
import shutil

import pytest
import torch
from mmengine.registry import init_default_scope

from conftest import REPO, assert_same, run_tool
from mmsuperpix.registry import MODELS
from mmsuperpix.utils import load_local_checkpoint, load_run_config

DINO = osp.join(REPO, 'configs', 'dino',
                'dino_vit-t8_1xb32-3k_demovoc-128x128.py')
NEURALEF = osp.join(REPO, 'configs', 'neuralef',
                    'neuralef_dino-vit-t8_1xb8-1500_demovoc-128x128.py')


def options(demo_root):
    return [f'data_root={osp.join(demo_root, "VOC2012")}', 'max_iters=4',
            'batch_size=2', 'crop_size=(32,32)', 'local_crop_size=(16,16)',
            'out_dim=64', 'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False',
            'default_hooks.logger.interval=1',
            'default_hooks.checkpoint.max_keep_ckpts=5']


@pytest.fixture(scope='module')
def dino_run(tmp_path_factory, demo_root):
    """4 iterations (a checkpoint after each); the log."""
    work = tmp_path_factory.mktemp('dino')
    proc = run_tool(['tools/train.py', DINO, '--work-dir', str(work),
                     '--cfg-options', *options(demo_root)])
    assert proc.returncode == 0, proc.stderr[-3000:]
    return work, proc.stdout + proc.stderr


def test_pretrain_logs_and_steps_the_student_only(dino_run):
    _, log = dino_run
    assert 'loss_dino' in log and 'teacher_temp' in log
    assert 'is skipped since its requires_grad=False' not in log.replace(
        'last_layer_g is skipped', '')  # no teacher weight in the optimiser


def test_resume_is_exact(dino_run, demo_root, tmp_path):
    """Stopped after iteration 2, resumed: the same student, teacher, centre
    and optimiser state at iteration 4."""
    work, _ = dino_run
    shutil.copy(work / 'iter_2.pth', tmp_path)
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_2.pth'))
    proc = run_tool(['tools/train.py', DINO, '--work-dir', str(tmp_path),
                     '--resume', '--cfg-options', *options(demo_root)])
    assert proc.returncode == 0, proc.stderr[-3000:]
    ours = load_local_checkpoint(str(tmp_path / 'iter_4.pth'))
    reference = load_local_checkpoint(str(work / 'iter_4.pth'))
    for part in ('state_dict', 'optimizer'):
        assert_same(ours[part], reference[part], part)
    assert any(k.startswith('teacher.') for k in ours['state_dict'])
    assert 'loss_module.center' in ours['state_dict']


def test_export_and_load_into_neuralef(dino_run, tmp_path):
    work, _ = dino_run
    exported = tmp_path / 'dino_teacher.pth'
    proc = run_tool(['tools/model_converters/export_checkpoint.py',
                     str(work / 'iter_4.pth'), str(exported), '--submodule',
                     'teacher.backbone'])
    assert proc.returncode == 0, proc.stderr[-3000:]

    init_default_scope('mmseg')
    # the same crop, so the position embeddings are not resized
    cfg = load_run_config(NEURALEF, dict(pretrained_backbone=str(exported),
                                         crop_size=(32, 32)),
                          check_files=False)
    model = MODELS.build(cfg.model)
    model.init_weights()
    teacher = torch.load(exported, weights_only=True)
    teacher = teacher.get('state_dict', teacher)
    backbone = model.backbone.state_dict()
    assert set(backbone) == set(teacher)
    for key, value in backbone.items():
        assert torch.equal(value, teacher[key]), key
