"""Load superpixel ground truth (.mat / .csv / .png) into the results."""
import io
import os.path as osp
from numbers import Integral
from typing import Optional

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmcv.transforms import BaseTransform

from mmsuperpix.datasets.bsds500 import load_bsds_groundtruth
from mmsuperpix.registry import TRANSFORMS
from mmsuperpix.superpixels import contiguous_labels

GT_SUFFIXES = ('.mat', '.csv', '.png')
MAX_SEGMENTS = int(np.iinfo(np.uint16).max) + 1


def _relabel(labels: np.ndarray, gt_path: str) -> np.ndarray:
    """Relabel each annotation to contiguous ids, keeping the label order.

    Args:
        labels (np.ndarray): (A, H, W) integer label maps.
        gt_path (str): The source file, for error messages.

    Returns:
        np.ndarray: (A, H, W) ``uint16``; annotation k uses ids
        ``0..n_k-1``, assigned in increasing order of the original labels.
    """
    out = np.empty(labels.shape, dtype=np.uint16)
    for k, ann in enumerate(labels):
        new = contiguous_labels(ann)
        count = int(new.max()) + 1 if new.size else 0
        if count > MAX_SEGMENTS:
            raise ValueError(
                f'annotation {k} of {gt_path!r} has {count} segments; at '
                f'most {MAX_SEGMENTS} fit the uint16 label maps. Is this '
                'file a label map (one integer id per pixel)?')
        out[k] = new
    return out


@TRANSFORMS.register_module()
class LoadSuperpixelAnnotations(BaseTransform):
    """Load superpixel/segment ground truth and relabel it contiguously.

    Reads ``results['gt_path']``: a BSDS500-style ``.mat`` (all annotators,
    via :func:`load_bsds_groundtruth`), a ``.csv`` of comma-separated
    integer rows, or a single-channel 8/16-bit ``.png``; the last two hold
    one annotation. Each annotation is relabeled to ``0..n-1`` in the order
    of its original labels (n <= 65536), as ``uint16``: mmcv's ``imresize``
    (cv2, nearest and bilinear), ``imrescale``, ``imflip`` and mmseg's crops
    accept it with any number of channels.

    - ``results['annotation_index']`` is an int k (a per-annotation
      sample): ``gt_seg_map`` is annotation k.
    - otherwise (None or absent; a per-image sample): ``gt_annotations``
      holds all A annotations channels-last, so geometric transforms that
      follow ``seg_fields`` keep it aligned, and ``gt_seg_map`` is
      annotation 0.

    When ``img_shape`` (or ``img``) is present the label maps must have the
    image's size: put this transform right after ``LoadImageFromFile``.

    Required Keys:

    - gt_path
    - annotation_index (optional)
    - img_shape or img (optional, for the size check)
    - seg_fields (optional)

    Modified Keys:

    - seg_fields

    Added Keys:

    - gt_seg_map (np.uint16, (H, W))
    - gt_annotations (np.uint16, (H, W, A); only without annotation_index)

    Args:
        backend_args (dict, optional): mmengine file backend arguments.
            Defaults to None.
    """

    def __init__(self, backend_args: Optional[dict] = None) -> None:
        self.backend_args = backend_args.copy() if backend_args else None

    def _read_single(self, gt_path: str, suffix: str) -> np.ndarray:
        """Read a one-annotation .csv or .png as (1, H, W)."""
        try:
            data = fileio.get(gt_path, self.backend_args)
        except FileNotFoundError as e:
            raise FileNotFoundError(
                f'ground-truth file {gt_path!r} does not exist.') from e
        if suffix == '.csv':
            try:
                labels = np.loadtxt(io.StringIO(data.decode()), delimiter=',',
                                    dtype=np.int64, ndmin=2)
            except ValueError as e:
                raise ValueError(
                    f'{gt_path!r} is not a label-map .csv (one row of '
                    f'comma-separated integers per image row): {e}') from e
        else:
            labels = mmcv.imfrombytes(data, flag='unchanged', backend='cv2')
            if labels is None:
                raise ValueError(f'{gt_path!r} is not a readable PNG (corrupt '
                                 'or truncated); re-create it.')
            if labels.ndim == 3 and labels.shape[2] == 1:
                labels = labels[..., 0]
            if labels.ndim != 2:
                raise ValueError(
                    f'{gt_path!r} has shape {labels.shape}: a label-map PNG '
                    'must be single-channel (8- or 16-bit grey), not a '
                    'colour or palette image (OpenCV decodes palette PNGs '
                    'as colour).')
        if labels.size == 0:
            raise ValueError(f'{gt_path!r} holds an empty label map.')
        return labels[None]

    def read_annotations(self, gt_path: str) -> np.ndarray:
        """Read all annotations of one ground-truth file, relabeled.

        Args:
            gt_path (str): A ``.mat``, ``.csv`` or ``.png`` file.

        Returns:
            np.ndarray: (A, H, W) ``uint16`` contiguous labels.
        """
        suffix = osp.splitext(gt_path)[1].lower()
        if suffix == '.mat':
            labels = load_bsds_groundtruth(gt_path, self.backend_args)
        elif suffix in ('.csv', '.png'):
            labels = self._read_single(gt_path, suffix)
        else:
            raise ValueError(
                f'cannot read ground truth {gt_path!r}: the suffix must be '
                f'one of {GT_SUFFIXES}.')
        return _relabel(labels, gt_path)

    def transform(self, results: dict) -> dict:
        """Load the annotations of ``results['gt_path']``.

        Args:
            results (dict): Result dict with ``gt_path``.

        Returns:
            dict: The results with ``gt_seg_map`` (and ``gt_annotations``).
        """
        if 'gt_path' not in results:
            raise KeyError(
                "LoadSuperpixelAnnotations needs results['gt_path'] (set by "
                'BSDS500Dataset and NYUv2SuperpixelDataset); for mmseg '
                "datasets with 'seg_map_path' use LoadAnnotations.")
        gt_path = results['gt_path']
        ann = self.read_annotations(gt_path)
        shape = results.get('img_shape')
        if shape is None and results.get('img') is not None:
            shape = results['img'].shape
        if shape is not None and tuple(shape[:2]) != ann.shape[1:]:
            raise ValueError(
                f'ground truth {gt_path!r} is {ann.shape[1:]} (H, W) but the '
                f'image {results.get("img_path")!r} is {tuple(shape[:2])}. '
                'Fix the file pair, or load the annotations before any '
                'transform that changes the image size.')
        index = results.get('annotation_index')
        fields = results.setdefault('seg_fields', [])
        if isinstance(index, Integral) and not isinstance(index, bool):
            if not 0 <= index < len(ann):
                raise IndexError(
                    f'annotation_index {index} is out of range: {gt_path!r} '
                    f'holds {len(ann)} annotation(s). Was the file replaced '
                    'after the dataset was built?')
            results['gt_seg_map'] = ann[index]
            added = ['gt_seg_map']
        elif index is None:
            results['gt_annotations'] = np.ascontiguousarray(
                ann.transpose(1, 2, 0))
            results['gt_seg_map'] = ann[0].copy()
            added = ['gt_seg_map', 'gt_annotations']
        else:
            raise TypeError(f'annotation_index must be an int or None, got '
                            f'{index!r}.')
        fields.extend(key for key in added if key not in fields)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(backend_args={self.backend_args})'
