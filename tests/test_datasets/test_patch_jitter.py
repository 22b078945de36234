"""AINet's patch jitter keeps image and labels aligned and really swaps."""
import numpy as np
import pytest

from mmsuperpix.datasets.transforms.patch_jitter import PatchJitter


def encoded_sample(h=64, w=80, seed=0):
    """Labels in 16x16-ish blocks; image channel 0 repeats the label."""
    rng = np.random.default_rng(seed)
    seg = rng.integers(0, 20, (h // 8, w // 8)).repeat(8, 0).repeat(8, 1)
    seg = seg.astype(np.uint16)
    img = np.stack([seg.astype(np.uint8),
                    rng.integers(0, 256, (h, w), dtype=np.uint8),
                    np.zeros((h, w), np.uint8)], -1)
    return dict(img=img, gt_seg_map=seg)


@pytest.mark.parametrize('seed', range(20))
def test_image_and_labels_move_together(seed):
    np.random.seed(seed)
    sample = encoded_sample(seed=seed)
    old_max = sample['gt_seg_map'].max()
    out = PatchJitter(prob=1.0, random_patch_prob=0.3)(sample)
    seg, img = out['gt_seg_map'], out['img']
    kept = seg <= old_max
    assert (img[..., 0][kept] == seg[kept]).all()
    # each noise region (random patch, strip fill) carries its own new label
    assert set(np.unique(seg[~kept])) <= {old_max + 1, old_max + 2}


def test_patch_shuffle_is_a_real_swap(monkeypatch):
    np.random.seed(3)
    sample = encoded_sample()
    before = sample['img'][..., 1].copy()
    jitter = PatchJitter(prob=1.0)
    monkeypatch.setattr(jitter, '_shift', lambda img, seg: None)
    out = jitter(sample)
    after = out['img'][..., 1]
    assert (after != before).any()
    # a swap permutes pixels: same multiset (a copy would duplicate one)
    assert np.array_equal(np.sort(after, axis=None),
                          np.sort(before, axis=None))


def test_cyclic_shift_permutes_pixels(monkeypatch):
    jitter = PatchJitter(prob=1.0)
    monkeypatch.setattr(jitter, '_shuffle', lambda img, seg: None)
    changed = 0
    for seed in range(30):
        np.random.seed(seed)
        sample = encoded_sample(seed=seed)
        before = sample['img'][..., 1].copy()
        old_max = sample['gt_seg_map'].max()
        out = jitter(sample)
        if out['gt_seg_map'].max() == old_max:  # cyclic, no noise fill
            changed += (out['img'][..., 1] != before).any()
            assert np.array_equal(np.sort(out['img'][..., 1], axis=None),
                                  np.sort(before, axis=None))
    assert changed > 5


def test_probability_zero_and_small_images_are_untouched():
    sample = encoded_sample()
    assert PatchJitter(prob=0.0)(dict(sample))['img'] is sample['img']
    small = encoded_sample(h=24, w=24)
    assert PatchJitter(prob=1.0)(dict(small))['img'] is small['img']


def test_size_mismatch_is_reported():
    sample = encoded_sample()
    sample['gt_seg_map'] = sample['gt_seg_map'][:-1]
    with pytest.raises(ValueError, match='differ in size'):
        PatchJitter(prob=1.0)(sample)
