"""Load precomputed superpixel label maps next to the images."""
import os.path as osp

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.registry import TRANSFORMS
from mmsuperpix.superpixels import store_superpixels

SUFFIXES = ('.png', '.npy')


@TRANSFORMS.register_module()
class LoadSuperpixels(BaseTransform):
    """Load the precomputed superpixels of ``results['img_path']``.

    The file is ``<superpixel_dir>/<image file name><suffix>`` if it
    exists, else ``<superpixel_dir>/<image stem><suffix>``:
    ``tools/superpixelize.py`` names its outputs by stem (``a_labels.png``)
    and keeps the extension only for images whose stems clash
    (``a.jpg_labels.png``, ``a.png_labels.png``). It is a 16-bit (or 8-bit)
    PNG label map (``suffix='_labels.png'``) or a ``.npy`` integer array
    (``superpixelize.py --format npy``, ``suffix='_labels.npy'``), at the
    original image size. mmcv's ``Resize``/``RandomFlip`` move only
    ``gt_seg_map``, so place this after them: the map is brought to the
    current geometry from what they recorded (nearest resize by
    ``scale_factor``, then the flip). Crops are not recorded, so a map
    cannot follow ``RandomCrop``: for random-crop training pipelines use
    ``GenerateSuperpixels`` after the crop or a ``superpixel_method`` in
    ``SuperpixelDataPreProcessor``.
    ``Pad`` afterwards is fine (``PackSuperpixelInputs`` pads the map).

    Required Keys: img_path, img. Added Keys: superpixels (``(H, W)``
    int32, id 255 skipped), seg_fields.

    Args:
        superpixel_dir (str): Folder of the label maps.
        suffix (str): File name after the image stem. Defaults to
            ``'_labels.png'``.
    """

    def __init__(self, superpixel_dir: str,
                 suffix: str = '_labels.png') -> None:
        if not suffix.endswith(SUFFIXES):
            raise ValueError(f'suffix must end with one of {SUFFIXES}, got '
                             f'{suffix!r}')
        self.superpixel_dir, self.suffix = superpixel_dir, suffix

    def path(self, img_path: str) -> str:
        """The label map file of an image: by file name if that exists,
        else by stem."""
        name = osp.basename(img_path)
        by_name = osp.join(self.superpixel_dir, name + self.suffix)
        if osp.isfile(by_name):
            return by_name
        return osp.join(self.superpixel_dir,
                        osp.splitext(name)[0] + self.suffix)

    def transform(self, results: dict) -> dict:
        """Add ``results['superpixels']`` read from the image's file."""
        path = self.path(results['img_path'])
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'no superpixel file {path!r} for {results["img_path"]!r}; '
                'compute them with tools/superpixelize.py <images> --out-dir '
                f'{self.superpixel_dir}')
        if path.endswith('.npy'):
            try:
                labels = np.load(path, allow_pickle=False)
            except ValueError as err:
                raise ValueError(f'{path!r} is not a numpy array file: '
                                 f'{err}') from err
        else:
            labels = cv2.imread(path, cv2.IMREAD_UNCHANGED)
            if labels is None:
                raise ValueError(f'{path!r} is not a PNG OpenCV can read')
        if labels.ndim != 2 or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f'{path!r} must hold one (H, W) integer label map, got '
                f'shape {labels.shape} dtype {labels.dtype}')
        original = tuple(results.get('ori_shape', labels.shape))[:2]
        if labels.shape != original:
            raise ValueError(
                f'{path!r} is {labels.shape} but its image is {original}: '
                'recompute the superpixels for the original images')
        if labels.min() < 0:
            raise ValueError(f'{path!r} has negative superpixel ids')
        return store_superpixels(results,
                                 self._to_current(labels, results, path))

    @staticmethod
    def _to_current(labels: np.ndarray, results: dict,
                    path: str) -> np.ndarray:
        """Apply the recorded resize and flip to an original-size map."""
        height, width = results['img'].shape[:2]
        w_scale, h_scale = results.get('scale_factor', (1.0, 1.0))
        expected = (labels.shape[0] * h_scale, labels.shape[1] * w_scale)
        if abs(expected[0] - height) > 1 or abs(expected[1] - width) > 1:
            raise ValueError(
                f'the image of {path!r} is {(height, width)}, not its '
                f'original size {labels.shape} scaled by {h_scale:.3f} x '
                f'{w_scale:.3f}: it was cropped, and loaded superpixels '
                'cannot follow crops. Use GenerateSuperpixels after the crop '
                'or a superpixel_method in SuperpixelDataPreProcessor')
        if labels.shape != (height, width):
            labels = cv2.resize(labels.astype(np.float32), (width, height),
                                interpolation=cv2.INTER_NEAREST)
        if results.get('flip'):
            direction = results.get('flip_direction', 'horizontal')
            if direction in ('horizontal', 'diagonal'):
                labels = labels[:, ::-1]
            if direction in ('vertical', 'diagonal'):
                labels = labels[::-1]
        return np.ascontiguousarray(labels).astype(np.int64)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(superpixel_dir='
                f'{self.superpixel_dir!r}, suffix={self.suffix!r})')
