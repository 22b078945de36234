"""GenerateSuperpixels / LoadSuperpixels through mmseg geometric transforms
and PackSuperpixelInputs (pad id 255 -> -1)."""
import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from mmsuperpix.registry import TRANSFORMS

init_default_scope('mmseg')


def image(h=40, w=56):
    img = np.zeros((h, w, 3), np.uint8)
    img[:, w // 2:] = (30, 200, 90)
    img[h // 2:, :w // 3] = (250, 10, 10)
    return img


def results(img, path='x/im.jpg'):
    return dict(img=img, img_path=path, img_shape=img.shape[:2],
                ori_shape=img.shape[:2], gt_seg_map=np.zeros(img.shape[:2],
                                                             np.uint8),
                seg_fields=['gt_seg_map'])


@pytest.mark.parametrize('method', [
    'opencv_slic', 'skimage_slic', 'default',
    dict(type='ClassicSuperpixels', algorithm='opencv_slico')])
def test_generate_follows_the_image(method):
    gen = TRANSFORMS.build(dict(type='GenerateSuperpixels', method=method,
                                segment_size=8))
    out = gen(results(image()))
    sp = out['superpixels']
    assert sp.shape == (40, 56) and sp.dtype == np.int32
    assert 'superpixels' in out['seg_fields'] and (sp != 255).all()
    # regions of different colour never share a superpixel
    assert not set(np.unique(sp[:, :20])) & set(np.unique(sp[:, 36:]))


def test_pad_value_becomes_no_superpixel():
    pipeline = [TRANSFORMS.build(t) for t in (
        dict(type='RandomFlip', prob=1.0, direction='horizontal'),
        dict(type='GenerateSuperpixels', n_segments=600),
        dict(type='Pad', size=(120, 88)),  # (w, h); pads gt_seg_map only
        dict(type='PackSuperpixelInputs'))]
    out = results(image(80, 112))
    before = None
    for t in pipeline:
        out = t(out)
        if before is None and 'superpixels' in out:
            before = out['superpixels'].copy()
    assert before.max() > 255  # ids above the reserved one exist
    sp = out['data_samples'].gt_superpixels.data[0].numpy()
    assert sp.shape == (88, 120)
    assert (sp[80:] == -1).all() and (sp[:, 112:] == -1).all()
    assert np.array_equal(sp[:80, :112], before)


def test_load_png_and_npy(tmp_path):
    labels = (np.arange(40 * 56).reshape(40, 56) // 7).astype(np.uint16)
    cv2.imwrite(str(tmp_path / 'im_labels.png'), labels)
    np.save(tmp_path / 'im.npy', labels.astype(np.int64))
    for suffix in ('_labels.png', '.npy'):
        load = TRANSFORMS.build(dict(type='LoadSuperpixels',
                                     superpixel_dir=str(tmp_path),
                                     suffix=suffix))
        sp = load(results(image()))['superpixels']
        assert np.array_equal(sp, labels + (labels >= 255))


def test_loaded_map_follows_resize_and_flip(tmp_path):
    labels = (np.arange(40 * 56).reshape(40, 56) // 7).astype(np.uint16)
    cv2.imwrite(str(tmp_path / 'im_labels.png'), labels)
    out = results(image())
    for t in (dict(type='Resize', scale=(112, 80), keep_ratio=True),
              dict(type='RandomFlip', prob=1.0, direction='horizontal'),
              dict(type='LoadSuperpixels', superpixel_dir=str(tmp_path))):
        out = TRANSFORMS.build(t)(out)
    expected = labels.repeat(2, 0).repeat(2, 1)[:, ::-1]
    assert np.array_equal(out['superpixels'],
                          expected + (expected >= 255))
    cropped = results(image()[:20])
    cropped['ori_shape'] = (40, 56)
    with pytest.raises(ValueError, match='cropped'):
        TRANSFORMS.build(dict(type='LoadSuperpixels',
                              superpixel_dir=str(tmp_path)))(cropped)


def test_load_errors(tmp_path):
    load = TRANSFORMS.build(dict(type='LoadSuperpixels',
                                 superpixel_dir=str(tmp_path)))
    with pytest.raises(FileNotFoundError, match='superpixelize.py'):
        load(results(image()))
    cv2.imwrite(str(tmp_path / 'im_labels.png'), np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match='original images'):
        load(results(image()))
    (tmp_path / 'im_labels.png').write_bytes(b'not a png')
    with pytest.raises(ValueError, match='OpenCV can read'):
        load(results(image()))
    with pytest.raises(ValueError, match='suffix'):
        TRANSFORMS.build(dict(type='LoadSuperpixels', superpixel_dir='x',
                              suffix='.jpg'))


def test_generate_errors():
    with pytest.raises(ValueError, match='unknown superpixel method'):
        TRANSFORMS.build(dict(type='GenerateSuperpixels', method='magic',
                              n_segments=5))
    with pytest.raises(ValueError, match='exactly one'):
        TRANSFORMS.build(dict(type='GenerateSuperpixels'))
    gen = TRANSFORMS.build(dict(type='GenerateSuperpixels', n_segments=5))
    with pytest.raises(ValueError, match='uint8 BGR'):
        gen(results(image().astype(np.float32)))
