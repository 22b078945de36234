"""NeuralEF through the tools on the tiny demo data: tools/train.py a few
iterations, tools/test.py prints the matched mIoU; the k-means baseline
through tools/fit_kmeans_head.py and tools/test.py; the cluster picture of
tools/analysis_tools/show_clusters.py."""
import json
import os.path as osp
import re

import cv2
import torch

from conftest import REPO, run_tool, write_tiny_config

NEURALEF = osp.join(REPO, 'configs', 'neuralef',
                    'neuralef_scn-encoder_1xb8-1500_demovoc-128x128.py')
KMEANS = osp.join(REPO, 'configs', 'neuralef',
                  'kmeans_scn-encoder_demovoc-128x128.py')


def test_train_then_test_prints_matched_miou(tmp_path, demo_root):
    config = write_tiny_config(tmp_path, demo_root, iters=2, base=NEURALEF)
    work = tmp_path / 'work'
    proc = run_tool(['tools/train.py', config, '--work-dir', str(work)])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'gumbel_tau' in proc.stdout + proc.stderr
    proc = run_tool(['tools/test.py', config, str(work / 'iter_2.pth'),
                     '--work-dir', str(tmp_path / 'test'), '--cfg-options',
                     f'test_evaluator.output_dir={tmp_path / "map"}'])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'majority matching' in proc.stdout + proc.stderr
    assert 'mIoU' in proc.stdout + proc.stderr
    mapping = json.loads((tmp_path / 'map' / 'cluster_mapping.json')
                         .read_text())
    assert len(mapping['mapping']) == 32


def test_kmeans_baseline_fit_and_test(tmp_path, demo_root):
    config = write_tiny_config(tmp_path, demo_root, base=KMEANS)
    checkpoint = tmp_path / 'kmeans.pth'
    proc = run_tool(['tools/fit_kmeans_head.py', config, str(checkpoint),
                     '--tokens-per-image', '16'])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'k-means on 128 tokens' in proc.stdout  # 8 images x 16
    proc = run_tool(['tools/test.py', config, str(checkpoint), '--work-dir',
                     str(tmp_path / 'test')])
    assert proc.returncode == 0, proc.stderr[-3000:]
    tested = float(re.findall(r'mIoU: ([0-9.]+)', proc.stdout + proc.stderr)
                   [-1])
    picture = tmp_path / 'clusters.png'
    proc = run_tool(['tools/analysis_tools/show_clusters.py', config,
                     str(checkpoint), '--out', str(picture), '--num-images',
                     '2', '--row-height', '40'])
    assert proc.returncode == 0, proc.stderr[-3000:]
    # the same matching as the metric's, fitted on the same test images
    shown = float(re.search(r'mIoU ([0-9.]+),', proc.stdout).group(1))
    assert abs(shown - tested) < 0.01
    image = cv2.imread(str(picture))
    assert image.shape[0] == 2 * 40 and image.shape[1] >= 4 * 40


def test_show_clusters_refuses_missing_or_foreign_checkpoint(tmp_path,
                                                            demo_root):
    config = write_tiny_config(tmp_path, demo_root, base=KMEANS)
    picture = tmp_path / 'clusters.png'
    proc = run_tool(['tools/analysis_tools/show_clusters.py', config,
                     str(tmp_path / 'absent.pth'), '--out', str(picture)])
    assert proc.returncode != 0 and 'absent.pth' in proc.stderr
    assert 'does not exist' in proc.stderr
    foreign = tmp_path / 'foreign.pth'
    torch.save(dict(state_dict=dict(other=torch.zeros(3))), foreign)
    proc = run_tool(['tools/analysis_tools/show_clusters.py', config,
                     str(foreign), '--out', str(picture)])
    assert proc.returncode != 0 and 'foreign.pth' in proc.stderr
    assert 'Traceback' not in proc.stderr and not picture.exists()
