"""MultiBranchDataPreprocessor: per-branch preprocessing, eval delegation."""
import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmseg.models import SegDataPreProcessor

import mmsuperpix  # noqa: F401
from mmsuperpix.datasets.transforms import LoadUnlabeledValidity, MultiBranch
from mmsuperpix.models.data_preprocessors import MultiBranchDataPreprocessor
from mmsuperpix.registry import MODELS

init_default_scope('mmseg')

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
CFG = dict(type='SegDataPreProcessor', mean=MEAN, std=STD, bgr_to_rgb=True,
           pad_val=0, seg_pad_val=255, size=(32, 32))
PACK = dict(type='PackSegInputs')
UNLABELED = MultiBranch(
    unsup_teacher=[PACK],
    unsup_student=[dict(type='StrongPhotometricAugment', jitter_prob=0,
                        gray_prob=1, blur_prob=0), PACK])


def raw(k, h, w):
    rng = np.random.default_rng(k)
    img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    return dict(img=img, img_path=f'img_{k}.jpg', img_shape=(h, w),
                ori_shape=(h, w), seg_fields=[])


def unlabeled(k, h, w):
    return UNLABELED(LoadUnlabeledValidity()(raw(k, h, w)))


def labeled(k, h, w):
    results = raw(k, h, w)
    seg = np.random.default_rng(k).integers(0, 21, (h, w), dtype=np.uint8)
    # what LoadAnnotations would give, without a file
    results.update(gt_seg_map=seg, seg_fields=['gt_seg_map'])
    return MultiBranch(sup=[PACK])(results)


@pytest.fixture
def batch():
    """2 unlabeled + 1 labeled sample, as the DataLoader collates them."""
    return pseudo_collate([unlabeled(0, 32, 32), labeled(1, 30, 32),
                           unlabeled(2, 28, 24)])


def normalised(img_bgr_chw):
    rgb = img_bgr_chw[[2, 1, 0]].float()
    return (rgb - torch.tensor(MEAN).view(3, 1, 1)) / torch.tensor(
        STD).view(3, 1, 1)


def test_collated_batch_has_none_entries(batch):
    assert [x is None for x in batch['inputs']['sup']] == [True, False, True]
    assert [x is None for x in batch['data_samples']['unsup_teacher']] == [
        False, True, False]


def test_training_preprocesses_each_branch(batch):
    raw_inputs = {b: list(v) for b, v in batch['inputs'].items()}
    pre = MODELS.build(dict(type='MultiBranchDataPreprocessor',
                            data_preprocessor=CFG))
    out = pre(batch, training=True)
    assert set(out) == {'inputs', 'data_samples'}
    assert list(out['inputs']) == ['sup', 'unsup_teacher', 'unsup_student']
    sizes = dict(sup=1, unsup_teacher=2, unsup_student=2)
    for branch, n in sizes.items():
        x = out['inputs'][branch]
        assert x.shape == (n, 3, 32, 32) and x.dtype == torch.float32
        assert len(out['data_samples'][branch]) == n
    # normalised RGB over the image, pad_val 0 beyond it
    sup = out['inputs']['sup'][0]
    assert torch.allclose(sup[:, :30], normalised(raw_inputs['sup'][1]))
    assert (sup[:, 30:] == 0).all()
    teacher = out['inputs']['unsup_teacher']
    assert torch.allclose(teacher[0], normalised(raw_inputs[
        'unsup_teacher'][0]))
    assert torch.allclose(teacher[1, :, :28, :24],
                          normalised(raw_inputs['unsup_teacher'][2]))
    # the data samples keep the batch order and are padded to 32 x 32
    paths = {b: [s.img_path for s in out['data_samples'][b]]
             for b in sizes}
    assert paths == dict(sup=['img_1.jpg'],
                         unsup_teacher=['img_0.jpg', 'img_2.jpg'],
                         unsup_student=['img_0.jpg', 'img_2.jpg'])
    valid = out['data_samples']['unsup_teacher'][1].gt_sem_seg.data[0]
    assert valid.shape == (32, 32)
    assert (valid[:28, :24] == 254).all()
    assert (valid[28:] == 255).all() and (valid[:, 24:] == 255).all()
    assert out['data_samples']['sup'][0].gt_sem_seg.data.shape == (1, 32, 32)
    # student = gray teacher, still aligned
    for student in (out['inputs']['unsup_student'][0],
                    out['inputs']['unsup_student'][1, :, :28, :24]):
        rgb = student * torch.tensor(STD).view(3, 1, 1) + torch.tensor(
            MEAN).view(3, 1, 1)
        assert torch.allclose(rgb[0], rgb[1], atol=1e-3)
        assert torch.allclose(rgb[1], rgb[2], atol=1e-3)


def test_branches_absent_from_the_batch_are_missing():
    pre = MultiBranchDataPreprocessor(CFG)
    only_labeled = pseudo_collate([labeled(0, 32, 32), labeled(1, 32, 32)])
    out = pre(only_labeled, training=True)
    assert list(out['inputs']) == ['sup']
    assert out['inputs']['sup'].shape == (2, 3, 32, 32)
    only_unlabeled = pseudo_collate([unlabeled(0, 32, 32)])
    out = pre(only_unlabeled, training=True)
    assert list(out['inputs']) == ['unsup_teacher', 'unsup_student']


def test_eval_equals_the_wrapped_preprocessor():
    samples = [labeled(k, 32, 32) for k in range(2)]
    data = dict(inputs=[s['inputs']['sup'] for s in samples],
                data_samples=[s['data_samples']['sup'] for s in samples])
    pre = MultiBranchDataPreprocessor(CFG)
    plain = SegDataPreProcessor(**{k: v for k, v in CFG.items()
                                   if k != 'type'})
    out = pre(data, training=False)
    ref = plain(data, training=False)
    assert torch.equal(out['inputs'], ref['inputs'])
    assert out['data_samples'] is not None
    assert [s.img_path for s in out['data_samples']] == ['img_0.jpg',
                                                         'img_1.jpg']


def test_mean_std_and_device():
    pre = MultiBranchDataPreprocessor(CFG)
    assert torch.equal(pre.mean.flatten(), torch.tensor(MEAN))
    assert torch.equal(pre.std.flatten(), torch.tensor(STD))
    assert pre.to('cpu') is pre and pre.device == torch.device('cpu')
    plain = MultiBranchDataPreprocessor(dict(type='SegDataPreProcessor'))
    assert plain.mean is None and plain.std is None


def test_training_batch_must_be_multi_branch():
    pre = MultiBranchDataPreprocessor(CFG)
    sample = labeled(0, 32, 32)
    data = dict(inputs=[sample['inputs']['sup']],
                data_samples=[sample['data_samples']['sup']])
    with pytest.raises(TypeError, match='MultiBranch'):
        pre(data, training=True)


def test_misaligned_none_pattern(batch):
    batch['data_samples']['sup'][0] = batch['data_samples']['sup'][1]
    with pytest.raises(ValueError, match="branch 'sup'.*None"):
        MultiBranchDataPreprocessor(CFG)(batch, training=True)


def test_bad_wrapped_preprocessor():
    with pytest.raises(TypeError, match='SegDataPreProcessor'):
        MultiBranchDataPreprocessor(torch.nn.Identity())
