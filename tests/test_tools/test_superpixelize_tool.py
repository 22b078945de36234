"""tools/superpixelize.py on a folder: label PNGs, overlays, failures."""
import importlib.util
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch

from conftest import REPO, run_tool
from mmsuperpix.datasets.transforms import LoadSuperpixels
from mmsuperpix.superpixels import (DEFAULT_CHECKPOINT, DEFAULT_CONFIG,
                                    build_superpixel_method,
                                    init_superpixel_model)

CONFIG = osp.join(REPO, 'configs', 'scn', 'scn_1xb16-4k_bsds500-208x208.py')


def test_folder_with_one_unreadable_file(tmp_path):
    src = tmp_path / 'images'
    src.mkdir()
    rng = np.random.default_rng(0)
    for name, size in (('a.png', (40, 60)), ('b.jpg', (50, 30))):
        cv2.imwrite(str(src / name),
                    rng.integers(0, 255, (*size, 3), dtype=np.uint8))
    (src / 'broken.png').write_bytes(b'not an image')
    out = tmp_path / 'out'
    proc = run_tool(['tools/superpixelize.py', str(src), '--n-segments', '8',
                     '--out-dir', str(out), '--config', CONFIG])
    assert proc.returncode == 1  # one failure, reported, nothing lost
    assert 'broken.png' in proc.stderr and '2 of 3 image(s)' in proc.stdout
    labels = cv2.imread(str(out / 'a_labels.png'), cv2.IMREAD_UNCHANGED)
    assert labels.dtype == np.uint16 and labels.shape == (40, 60)
    assert np.array_equal(np.unique(labels), np.arange(labels.max() + 1))
    overlay = cv2.imread(str(out / 'b_overlay.png'))
    assert overlay.shape == (50, 30, 3)


def test_missing_input(tmp_path):
    proc = run_tool(['tools/superpixelize.py', str(tmp_path / 'nope'),
                     '--out-dir', str(tmp_path)])
    assert proc.returncode != 0 and 'neither an image file nor a folder' in \
        proc.stderr


def write_images(folder, sizes):
    """Random images ``{name: (H, W)}`` in ``folder``; returns their paths."""
    folder.mkdir(exist_ok=True)
    rng = np.random.default_rng(0)
    for name, size in sizes.items():
        cv2.imwrite(str(folder / name),
                    rng.integers(0, 255, (*size, 3), dtype=np.uint8))
    return {name: str(folder / name) for name in sizes}


def superpixelize_tool(src, out, *extra):
    return run_tool(['tools/superpixelize.py', str(src), '--n-segments', '8',
                     '--out-dir', str(out), '--config', CONFIG, *extra])


def test_a_failed_write_is_reported_and_not_counted(tmp_path):
    write_images(tmp_path / 'images', {'a.png': (20, 30), 'b.png': (20, 30)})
    out = tmp_path / 'out'
    (out / 'a_labels.png').mkdir(parents=True)  # blocks that write, as root
    proc = superpixelize_tool(tmp_path / 'images', out)
    assert proc.returncode == 1 and '1 of 2 image(s)' in proc.stdout
    assert f"could not write {str(out / 'a_labels.png')!r}" in proc.stderr
    assert (out / 'b_labels.png').is_file()  # the other image is kept
    assert (out / 'a_overlay.png').is_file()  # what was written stays


def test_same_stem_inputs_keep_both_outputs(tmp_path):
    paths = write_images(tmp_path / 'images',
                         {'a.jpg': (20, 30), 'a.png': (24, 16),
                          'b.png': (10, 12)})
    out = tmp_path / 'out'
    proc = superpixelize_tool(tmp_path / 'images', out)
    assert proc.returncode == 0 and '3 of 3 image(s)' in proc.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        'a.jpg_labels.png', 'a.jpg_overlay.png', 'a.png_labels.png',
        'a.png_overlay.png', 'b_labels.png', 'b_overlay.png']
    loader = LoadSuperpixels(str(out))  # finds each image's own map
    for name, shape in (('a.jpg', (20, 30)), ('a.png', (24, 16)),
                        ('b.png', (10, 12))):
        results = loader(dict(img_path=paths[name],
                              img=np.zeros((*shape, 3), np.uint8)))
        assert results['superpixels'].shape == shape


def test_out_dir_is_checked_before_the_model_loads(tmp_path):
    write_images(tmp_path, {'a.png': (20, 30)})
    a_file = tmp_path / 'taken'
    a_file.write_text('keep me')
    # a missing --config would fail at model loading: the out-dir error
    # must come first
    proc = run_tool(['tools/superpixelize.py', str(tmp_path / 'a.png'),
                     '--out-dir', str(a_file), '--config', 'no/such.py'])
    assert proc.returncode == 1 and 'Traceback' not in proc.stderr
    assert f'--out-dir {str(a_file)!r} is an existing file' in proc.stderr
    assert a_file.read_text() == 'keep me'


@pytest.mark.parametrize('value', ['0', 'True'])
def test_bad_n_segments_stop_before_the_model_loads(tmp_path, value):
    proc = run_tool(['tools/superpixelize.py', str(tmp_path), '--out-dir',
                     str(tmp_path), '--n-segments', value])
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    assert 'must be a positive integer' in proc.stderr and value in \
        proc.stderr


def test_counts_above_16_bit_need_npy(tmp_path):
    proc = run_tool(['tools/superpixelize.py', str(tmp_path), '--out-dir',
                     str(tmp_path), '--n-segments', '70000'])
    assert proc.returncode == 2 and '--format npy' in proc.stderr


def load_tool():
    spec = importlib.util.spec_from_file_location(
        'superpixelize_tool', osp.join(REPO, 'tools', 'superpixelize.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ids_above_16_bit_are_never_wrapped(tmp_path):
    tool = load_tool()
    image = np.zeros((2, 40000, 3), np.uint8)
    labels = np.arange(80000, dtype=np.int32).reshape(2, 40000)
    problems = tool.write_outputs(str(tmp_path / 'big'), image, labels, 'png')
    assert len(problems) == 1 and '--format npy' in problems[0]
    assert not (tmp_path / 'big_labels.png').exists()
    assert tool.write_outputs(str(tmp_path / 'big'), image, labels,
                              'npy') == []
    assert np.array_equal(np.load(tmp_path / 'big_labels.npy'), labels)


def test_truncated_jpeg_is_skipped_and_the_rest_written(tmp_path):
    paths = write_images(tmp_path / 'images',
                         {'good.png': (20, 30), 'bad.jpg': (40, 50)})
    with open(paths['bad.jpg'], 'rb') as f:
        data = f.read()
    with open(paths['bad.jpg'], 'wb') as f:
        f.write(data[:len(data) * 2 // 3])
    out = tmp_path / 'out'
    proc = superpixelize_tool(tmp_path / 'images', out, '--format', 'npy')
    assert proc.returncode == 1 and '1 of 2 image(s)' in proc.stdout
    assert 'bad.jpg' in proc.stderr and 'truncated' in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        'good_labels.npy', 'good_overlay.png']


class Payload:
    """Unpickling this creates ``marker``: a stand-in for malicious code."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.makedirs, (self.marker, ))


@pytest.mark.parametrize('kind', ['malicious', 'segmentation'])
def test_unusable_checkpoint_is_refused_before_any_image(tmp_path, kind):
    image = str(tmp_path / 'img.png')
    cv2.imwrite(image, np.zeros((32, 32, 3), np.uint8))
    marker = str(tmp_path / 'created_by_the_checkpoint')
    checkpoint = str(tmp_path / f'{kind}.pth')
    if kind == 'malicious':
        torch.save({'state_dict': {}, 'x': Payload(marker)}, checkpoint)
    else:  # a plain segmentor's weights
        torch.save({'state_dict': {'backbone.stem.0.weight': torch.ones(1),
                                   'decode_head.conv_seg.bias': torch.ones(2)}},
                   checkpoint)
    out = tmp_path / 'out'
    proc = run_tool(['tools/superpixelize.py', image, '--out-dir', str(out),
                     '--checkpoint', checkpoint])
    assert proc.returncode != 0
    message = proc.stderr.strip().splitlines()[-1]
    assert message.startswith(f'error: checkpoint {checkpoint!r}')
    if kind == 'malicious':
        assert 'makedirs' in message and '--allow-unsafe-checkpoint' in message
        assert not osp.exists(marker)
    else:
        assert 'does not fit' in message
    assert not list(out.glob('*_labels.*'))


def test_the_opt_in_loads_a_trusted_pickle(tmp_path):
    """``--allow-unsafe-checkpoint`` and ``allow_unsafe_checkpoint=True``
    really unpickle what the safe loader refuses."""
    image = str(tmp_path / 'img.png')
    cv2.imwrite(image, np.zeros((32, 32, 3), np.uint8))
    marker = str(tmp_path / 'created_by_the_checkpoint')
    checkpoint = str(tmp_path / 'trusted.pth')
    weights = torch.load(DEFAULT_CHECKPOINT, weights_only=True)
    torch.save({**weights, 'x': Payload(marker)}, checkpoint)
    with pytest.raises(ValueError, match='was refused'):
        init_superpixel_model(DEFAULT_CONFIG, checkpoint)
    init_superpixel_model(DEFAULT_CONFIG, checkpoint,
                          allow_unsafe_checkpoint=True)
    assert osp.isdir(marker)
    os.rmdir(marker)
    out = tmp_path / 'out'
    proc = run_tool(['tools/superpixelize.py', image, '--out-dir', str(out),
                     '--config', DEFAULT_CONFIG, '--checkpoint', checkpoint,
                     '--n-segments', '4', '--allow-unsafe-checkpoint'])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert osp.isdir(marker) and (out / 'img_labels.png').is_file()


def test_a_classic_method_by_name(tmp_path):
    image = np.random.default_rng(1).integers(0, 255, (40, 60, 3), np.uint8)
    cv2.imwrite(str(tmp_path / 'a.png'), image)
    out = tmp_path / 'out'
    proc = run_tool(['tools/superpixelize.py', str(tmp_path / 'a.png'),
                     '--method', 'skimage_slic', '--n-segments', '12',
                     '--out-dir', str(out)])
    assert proc.returncode == 0, proc.stderr[-2000:]
    labels = cv2.imread(str(out / 'a_labels.png'), cv2.IMREAD_UNCHANGED)
    expected = build_superpixel_method('skimage_slic')(
        cv2.imread(str(tmp_path / 'a.png')), 12)
    np.testing.assert_array_equal(labels, expected)
    proc = run_tool(['tools/superpixelize.py', str(tmp_path / 'a.png'),
                     '--method', 'skimage_slic', '--config', CONFIG,
                     '--out-dir', str(out)])
    assert proc.returncode == 2
    assert 'do not apply to --method skimage_slic' in proc.stderr


def test_per_image_method_config_in_batches(tmp_path):
    """A superpixel_method config (the fast Eliasof preset, shortened):
    three images in lists of two, one of them damaged."""
    src = tmp_path / 'images'
    write_images(src, {'a.png': (20, 28), 'b.png': (20, 28),
                       'c.png': (28, 20)})
    (src / 'd.png').write_bytes(b'not an image')
    out = tmp_path / 'out'
    proc = run_tool([
        'tools/superpixelize.py', str(src), '--n-segments', '6', '--out-dir',
        str(out), '--config',
        osp.join(REPO, 'mmsuperpix', 'model_zoo', 'eliasof_icip2022_fast.py'),
        '--cfg-options', 'superpixel_method.num_iters=2',
        'superpixel_method.batch_size=2', 'superpixel_method.progress=False',
        'superpixel_method.device=cpu', 'superpixel_method.input_size=None',
        'superpixel_method.model.base_channels=4'
    ])
    assert proc.returncode == 1 and 'd.png' in proc.stderr
    assert '3 of 4 image(s)' in proc.stdout
    for name, shape in (('a', (20, 28)), ('c', (28, 20))):
        labels = cv2.imread(str(out / f'{name}_labels.png'),
                            cv2.IMREAD_UNCHANGED)
        assert labels.shape == shape
        assert np.array_equal(np.unique(labels),
                              np.arange(labels.max() + 1))


def test_cfg_options_need_a_config(tmp_path):
    proc = run_tool(['tools/superpixelize.py', str(tmp_path), '--out-dir',
                     str(tmp_path / 'o'), '--cfg-options', 'a=1'])
    assert proc.returncode != 0 and '--cfg-options change a --config' in \
        proc.stderr
