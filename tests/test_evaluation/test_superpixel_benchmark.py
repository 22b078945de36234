"""The benchmark loop, its data loaders and the benchmark curves."""
import os.path as osp

import cv2
import numpy as np
import pytest

from conftest import shared_path
from mmsuperpix.evaluation import (ROW_KEYS, benchmark_method,
                                   bsds500_samples, nyuv2_samples,
                                   superpixel_metrics, voc_samples)
from mmsuperpix.visualization import plot_benchmark_curves

H, W = 24, 32


def grid(image, n):
    """A fixed grid of ``sqrt(n) x sqrt(n)`` blocks (n a square)."""
    side = int(round(np.sqrt(n)))
    rows = np.arange(image.shape[0]) * side // image.shape[0]
    cols = np.arange(image.shape[1]) * side // image.shape[1]
    return rows[:, None] * side + cols[None, :]


def quadrants():
    """The 2x2 grid as a ground-truth segmentation."""
    return grid(np.zeros((H, W)), 4)


@pytest.fixture(scope='module')
def samples():
    rng = np.random.default_rng(0)
    img_a = rng.integers(0, 255, (H, W, 3), np.uint8)
    img_b = rng.integers(0, 255, (H, W, 3), np.uint8)
    yy, xx = np.mgrid[:H, :W]
    diagonal = (xx * H > yy * W).astype(np.int64)  # two triangles
    gt_a = np.stack([quadrants(), diagonal])  # two annotations
    gt_b = quadrants()[None] * 7 + 3  # one annotation, any ids
    return [('a', img_a, gt_a), ('b', img_b, gt_b)]


def test_rows_match_direct_metric_calls(samples):
    rows = benchmark_method(grid, samples, [4, 16], progress=False)
    assert [r['count'] for r in rows] == [4, 16]
    for row, n in zip(rows, (4, 16)):
        assert tuple(row) == ROW_KEYS
        assert row['n_images'] == 2 and row['n_pairs'] == 3
        assert row['n_superpixels'] == n
        assert row['ms_per_image'] >= 0
        pairs = [superpixel_metrics(grid(img, n), ann, img)
                 for _, img, gt in samples for ann in gt]
        for key in ('asa', 'br', 'bp', 'ue_np', 'ue_levin', 'co', 'ev'):
            assert row[key] == pytest.approx(
                np.mean([p[key] for p in pairs])), key


def test_per_image_scores_average_each_images_annotations(samples):
    rows = benchmark_method(grid, samples, [4, 16], progress=False,
                            per_image=True)
    for row, n in zip(rows, (4, 16)):
        images = row['per_image']
        assert images['name'] == ['a', 'b']
        assert images['n_superpixels'] == [n, n]
        for key in ('asa', 'br', 'bp', 'ue_np'):
            expected = [np.mean([superpixel_metrics(grid(img, n), ann,
                                                    img)[key]
                                 for ann in gt]) for _, img, gt in samples]
            assert images[key] == pytest.approx(expected), key
    assert 'per_image' not in benchmark_method(grid, samples, 4,
                                               progress=False)[0]


def test_methods_that_batch_get_chunks(samples):
    from mmsuperpix.superpixels import SuperpixelMethod

    class Batching(SuperpixelMethod):
        batch_size = 2
        calls = []

        def segment(self, image, n_segments):
            raise AssertionError('one image at a time')

        def segment_group(self, images, n_segments):
            self.calls.append(len(images))
            return [grid(image, n_segments) for image in images]

    method = Batching()
    rows = benchmark_method(method, samples * 2 + samples[:1], [4],
                            progress=False)
    assert method.calls == [2, 2, 1]
    plain = benchmark_method(grid, samples * 2 + samples[:1], [4],
                             progress=False)
    for key in ('asa', 'br', 'n_superpixels', 'n_images'):
        assert rows[0][key] == plain[0][key]


def test_predictable_values(samples):
    """Only the quadrant annotations: the 2x2 grid is exact."""
    quads = [(name, img, gt[:1]) for name, img, gt in samples]
    exact, finer = benchmark_method(grid, quads, [4, 16], progress=False)
    for key, value in (('asa', 1), ('br', 1), ('bp', 1), ('ue_np', 0),
                       ('ue_levin', 0)):
        assert exact[key] == pytest.approx(value), key
    # A finer grid nested in the quadrants: no leak, full recall, extra
    # (false positive) boundaries.
    assert finer['asa'] == 1 and finer['ue_np'] == 0 and finer['br'] == 1
    assert finer['bp'] < 1
    # 12x16 blocks: 4 pi 192 / 56^2 for every block.
    assert exact['co'] == pytest.approx(4 * np.pi * 192 / 56**2)


def test_generators_and_2d_ground_truth(samples):
    def stream():
        for name, img, gt in samples:
            yield name, img, gt[0]  # (H, W): one annotation
    rows = benchmark_method(grid, stream(), 16, progress=False)
    assert len(rows) == 1 and rows[0]['n_pairs'] == 2


def test_progress_bar(samples, capsys):
    benchmark_method(grid, samples, [4, 16], progress=True)
    assert '4/4' in capsys.readouterr().out


@pytest.mark.parametrize('kwargs,error,match', [
    (dict(counts=[]), ValueError, 'counts'),
    (dict(counts=[0]), ValueError, 'counts'),
    (dict(samples=[]), ValueError, 'samples is empty'),
    (dict(samples=[('x', np.zeros((H, W, 3), np.uint8),
                    np.zeros((2, H + 1, W)))]), ValueError, 'same H, W'),
    (dict(samples=[42]), TypeError, '(name, image_bgr, gt)'),
    (dict(segment_fn=lambda img, n: np.zeros((3, 3), int)), ValueError,
     'shape'),
    (dict(segment_fn='slic'), TypeError, 'callable'),
])
def test_bad_input(kwargs, error, match, samples):
    args = dict(segment_fn=grid, samples=samples, counts=[4],
                progress=False)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        benchmark_method(**args)


def test_curves(samples, tmp_path):
    rows = benchmark_method(grid, samples, [4, 16, 64], progress=False)
    other = [dict(r, n_superpixels=r['n_superpixels'] * 1.1, ev=float('nan'))
             for r in rows]
    paths = plot_benchmark_curves({'grid': rows, 'grid2': other},
                                  str(tmp_path / 'curves'))
    names = sorted(osp.basename(p) for p in paths)
    assert names == sorted(['asa.png', 'br.png', 'bp.png', 'ue.png',
                            'co.png', 'ev.png', 'br_bp.png'])
    assert all(osp.getsize(p) > 1000 for p in paths)
    with pytest.raises(KeyError, match='lacks'):
        plot_benchmark_curves({'x': [dict(count=4)]}, str(tmp_path))
    with pytest.raises(ValueError, match='non-empty'):
        plot_benchmark_curves({}, str(tmp_path))


def test_nyuv2_samples(tmp_path):
    for folder in ('images/test', 'csv_groundTruth/test'):
        (tmp_path / folder).mkdir(parents=True)
    for index in (1, 2, 3):
        stem = f'{index:08d}'
        cv2.imwrite(str(tmp_path / 'images/test' / f'{stem}.png'),
                    np.full((H, W, 3), 40 * index, np.uint8))
        np.savetxt(tmp_path / 'csv_groundTruth/test' / f'{stem}.csv',
                   quadrants() * 5, fmt='%d', delimiter=',')
    (tmp_path / 'subset.txt').write_text('3\n1\n')
    samples = nyuv2_samples(str(tmp_path), 'test', 'subset.txt')
    assert [s[0] for s in samples] == ['00000003', '00000001']
    name, image, gt = samples[0]
    assert image.shape == (H, W, 3) and image[0, 0, 0] == 120
    assert gt.shape == (1, H, W) and gt.max() == 3  # relabelled 0..3
    assert len(nyuv2_samples(str(tmp_path), limit=2)) == 2
    with pytest.raises(ValueError, match='limit'):
        nyuv2_samples(str(tmp_path), limit=0)


def test_voc_samples_fill_void_bands(tmp_path):
    for folder in ('JPEGImages', 'SegmentationClassAug'):
        (tmp_path / folder).mkdir()
    labels = np.zeros((H, W), np.uint8)
    labels[:, W // 2:] = 15  # two classes, split by a 2-px void band
    labels[:, W // 2 - 1:W // 2 + 1] = 255
    for stem in ('b', 'a'):
        cv2.imwrite(str(tmp_path / 'JPEGImages' / f'{stem}.jpg'),
                    np.full((H, W, 3), 90, np.uint8))
        cv2.imwrite(str(tmp_path / 'SegmentationClassAug' / f'{stem}.png'),
                    labels)
    samples = voc_samples(str(tmp_path))
    assert [name for name, _, _ in samples] == ['a', 'b']
    _, image, gt = samples[0]
    assert image.shape == (H, W, 3) and gt.shape == (1, H, W)
    # the void band goes to its nearest class: one boundary, where it was
    expected = (np.arange(W) >= W // 2).astype(np.int32)
    assert (gt[0] == expected[None]).all()
    assert len(voc_samples(str(tmp_path), limit=1)) == 1
    (tmp_path / 'SegmentationClassAug' / 'a.png').write_bytes(b'broken')
    with pytest.raises(ValueError, match="label map .*a.png"):
        voc_samples(str(tmp_path))[0]
    with pytest.raises(FileNotFoundError, match='Pascal VOC layout'):
        voc_samples(str(tmp_path), 'SegmentationObject')
    (tmp_path / 'val.txt').write_text('b\n\n')
    assert [name for name, _, _ in voc_samples(
        str(tmp_path), ann_file='val.txt')] == ['b']
    (tmp_path / 'val.txt').write_text('b\nc\n')
    with pytest.raises(FileNotFoundError, match="val.txt.*'c'"):
        voc_samples(str(tmp_path), ann_file='val.txt')
    with pytest.raises(FileNotFoundError, match='no image list'):
        voc_samples(str(tmp_path), ann_file='test.txt')


def test_bsds500_samples():
    root = osp.dirname(osp.dirname(shared_path('BSDS500', 'images', 'val')))
    samples = bsds500_samples(root, 'val', limit=2)
    assert len(samples) == 2
    names = [name for name, _, _ in samples]
    assert names == sorted(names)
    name, image, gt = samples[1]
    assert image.dtype == np.uint8 and image.shape[2] == 3
    assert gt.ndim == 3 and 4 <= len(gt) <= 9
    assert gt.shape[1:] == image.shape[:2] and gt.min() == 0
