"""Damaged input images are reported, wherever mmsuperpix reads them."""
import cv2
import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmcv.transforms import LoadImageFromFile
from mmseg.structures import SegDataSample
from mmseg.visualization import SegLocalVisualizer

from mmsuperpix.datasets.transforms import LoadCheckedImageFromFile
from mmsuperpix.engine.hooks import SuperpixelVisualizationHook
from mmsuperpix.evaluation import SampleList
from mmsuperpix.utils.image_io import read_image


def smooth_image(h=48, w=64):
    yy, xx = np.mgrid[:h, :w]
    return np.stack([xx * 3, yy * 4, xx + yy], -1).astype(np.uint8)


def write_jpeg(path, params=()):
    cv2.imwrite(str(path), smooth_image(), list(params))
    return path.read_bytes()


@pytest.mark.parametrize('params', [
    (), (cv2.IMWRITE_JPEG_PROGRESSIVE, 1),
    (cv2.IMWRITE_JPEG_RST_INTERVAL, 2)
], ids=['baseline', 'progressive', 'restart-markers'])
def test_whole_files_read_as_opencv_reads_them(tmp_path, params):
    path = tmp_path / 'a.jpg'
    write_jpeg(path, params)
    assert np.array_equal(read_image(str(path)), cv2.imread(str(path)))
    with open(path, 'ab') as f:  # a camera trailer after EOI is fine
        f.write(b'\x00trailer')
    assert read_image(str(path)).shape == (48, 64, 3)
    png = tmp_path / 'a.png'
    cv2.imwrite(str(png), smooth_image()[..., 0].astype(np.uint16) * 200)
    assert read_image(str(png), cv2.IMREAD_UNCHANGED).dtype == np.uint16


@pytest.mark.parametrize('keep', [0.5, 0.98, -2, 20])
def test_truncated_jpeg_is_named(tmp_path, keep):
    path = tmp_path / 'cut.jpg'
    data = write_jpeg(path, (cv2.IMWRITE_JPEG_PROGRESSIVE, 1))
    path.write_bytes(data[:keep if isinstance(keep, int) else
                          int(len(data) * keep)])
    with pytest.raises(ValueError, match="'.*cut.jpg' is a damaged JPEG"):
        read_image(str(path))


def test_truncated_png_and_non_images_are_named(tmp_path):
    path = tmp_path / 'cut.png'
    cv2.imwrite(str(path), smooth_image())
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(ValueError, match='cut.png.*truncated'):
        read_image(str(path))
    text = tmp_path / 'notes.png'
    text.write_text('not an image')
    with pytest.raises(ValueError, match='notes.png.*not an image'):
        read_image(str(text))
    with pytest.raises(FileNotFoundError, match='does not exist'):
        read_image(str(tmp_path / 'missing.jpg'))


@pytest.fixture
def truncated_jpeg(tmp_path):
    path = tmp_path / 'truncated.jpg'
    data = write_jpeg(path)
    path.write_bytes(data[:-40])  # inside the scan: cv2.imread only warns
    return str(path)


def test_benchmark_samples_report_a_truncated_image(truncated_jpeg):
    samples = SampleList([(truncated_jpeg, 'gt_never_read.png')])
    with pytest.raises(ValueError, match='truncated.jpg.*truncated'):
        samples[0]


def test_visualization_hook_reports_a_truncated_image(truncated_jpeg,
                                                      tmp_path):
    SegLocalVisualizer.get_instance(
        'image_io_test', vis_backends=[dict(type='LocalVisBackend')],
        save_dir=str(tmp_path))
    hook = SuperpixelVisualizationHook(draw=True, interval=1)
    sample = SegDataSample(metainfo=dict(img_path=truncated_jpeg))
    sample.pred_sp_seg = PixelData(data=torch.zeros(1, 48, 64))
    with pytest.raises(ValueError, match='truncated.jpg.*truncated'):
        hook._after_iter(None, 0, {}, [sample], mode='test')


def test_training_pipelines_refuse_a_truncated_image(truncated_jpeg,
                                                     tmp_path):
    """The configs' LoadCheckedImageFromFile: mmcv's loader (which, with
    OpenCV builds that return the grey-filled image, decodes it silently),
    but damaged JPEGs stop the run with their name."""
    load = LoadCheckedImageFromFile()
    with pytest.raises(ValueError, match='truncated.jpg.*truncated'):
        load(dict(img_path=truncated_jpeg))
    whole = str(tmp_path / 'whole.jpg')
    write_jpeg(tmp_path / 'whole.jpg')
    ours, theirs = load(dict(img_path=whole)), LoadImageFromFile()(
        dict(img_path=whole))
    np.testing.assert_array_equal(ours['img'], theirs['img'])
    assert ours['img_shape'] == theirs['img_shape'] == (48, 64)
