"""The NeuralEF configs build, train a step and predict clusters (small
crops and K; random ViT-S weights: nothing is downloaded)."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from conftest import REPO
from mmsuperpix.registry import MODELS
from mmsuperpix.utils import load_run_config

CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'neuralef', '*.py')))


@pytest.mark.parametrize('config', CONFIGS, ids=osp.basename)
def test_config_builds_and_runs(config):
    cfg = load_run_config(config, dict(crop_size=(64, 64), num_clusters=8),
                          check_files=False)
    assert cfg.val_evaluator.type == 'ClusterIoUMetric'
    hooks = [h['type'] for h in cfg.custom_hooks]
    is_kmeans = cfg.model.decode_head.type == 'KMeansHead'
    assert ('GumbelTemperatureHook' in hooks) != is_kmeans, hooks
    init_default_scope('mmseg')
    cfg.model.test_cfg = dict(mode='whole')
    model = MODELS.build(cfg.model)
    samples = []
    for _ in range(2):
        sample = SegDataSample(metainfo=dict(img_shape=(64, 64),
                                             ori_shape=(64, 64)))
        sample.gt_sem_seg = PixelData(data=torch.zeros(1, 64, 64).long())
        samples.append(sample)
    images = [torch.randint(0, 255, (3, 64, 64), dtype=torch.uint8)
              for _ in range(2)]
    data = model.data_preprocessor(dict(inputs=images, data_samples=samples),
                                   True)
    if cfg.model.decode_head.type == 'KMeansHead':
        tokens = model.decode_head.tokens(model.extract_feat(data['inputs']))
        model.decode_head.fit(tokens.flatten(0, 1))
    else:
        model.decode_head.anneal(0.5)
        losses = model.loss(data['inputs'], data['data_samples'])
        assert torch.isfinite(losses['decode.loss_neuralef'])
    model.eval()
    with torch.no_grad():
        out = model.predict(data['inputs'], data['data_samples'])
    assert out[0].pred_sem_seg.data.max() < 8
