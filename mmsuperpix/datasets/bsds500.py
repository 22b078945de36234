"""BSDS500 in its official layout, one sample per annotation or per image."""
import io
import os
import os.path as osp
from typing import List, Optional

import mmengine.fileio as fileio
import numpy as np
import scipy.io as sio
from mmseg.datasets import BaseSegDataset

from mmsuperpix.registry import DATASETS

BSDS_SPLITS = ('train', 'val', 'test')
BSDS_MODES = ('per_annotation', 'per_image')


def _mat_error(mat_path: str, problem: str) -> ValueError:
    return ValueError(
        f'{mat_path!r} is not a BSDS500 ground-truth file: {problem}. A '
        "BSDS500 .mat holds a 1xN cell 'groundTruth' of structs with a "
        "'Segmentation' label map; replace the file with the official one "
        '(BSR/BSDS500/data/groundTruth) or re-download the data set.')


def load_bsds_groundtruth(mat_path: str,
                          backend_args: Optional[dict] = None) -> np.ndarray:
    """Read every human annotation of one BSDS500 ground-truth file.

    The labels are returned as stored (BSDS500 labels start at 1), not
    relabeled: :class:`LoadSuperpixelAnnotations` makes them contiguous.

    Args:
        mat_path (str): A BSDS500 ``groundTruth/{split}/<id>.mat`` file (the
            same format is used by Stutz's NYUv2/SBD conversions).
        backend_args (dict, optional): mmengine file backend arguments.
            Defaults to None (local files).

    Returns:
        np.ndarray: (A, H, W) ``uint16`` label maps, one per annotator, in
        the order of the ``groundTruth`` cell.

    Raises:
        FileNotFoundError: When the file does not exist.
        ValueError: When the file is unreadable (corrupt, truncated, MATLAB
            v7.3), has no ``groundTruth`` cell, an annotation without a 2-D
            integer ``Segmentation``, annotations of different sizes, or
            labels outside the uint16 range.
    """
    try:
        data = fileio.get(mat_path, backend_args)
    except FileNotFoundError as e:
        raise FileNotFoundError(
            f'BSDS500 ground-truth file {mat_path!r} does not exist; check '
            "data_root and data_prefix['seg_map_path'].") from e
    try:
        mat = sio.loadmat(io.BytesIO(data))
    except NotImplementedError as e:  # MATLAB v7.3 (HDF5) files
        raise _mat_error(mat_path, f'{e} (save it with -v7 instead)') from e
    except Exception as e:  # corrupt or truncated: scipy raises many types
        raise _mat_error(mat_path, f'scipy.io.loadmat failed with '
                         f'{type(e).__name__}: {e}') from e
    if 'groundTruth' not in mat:
        found = sorted(k for k in mat if not k.startswith('__'))
        raise _mat_error(mat_path, f"no 'groundTruth' variable (found "
                         f'{found})')
    cell = mat['groundTruth']
    if cell.dtype != object or cell.size == 0:
        raise _mat_error(mat_path, f"'groundTruth' is a {cell.dtype} array "
                         f'of shape {cell.shape}, not a non-empty cell')
    segs = []
    for k, ann in enumerate(cell.ravel(order='F')):
        names = getattr(ann, 'dtype', np.dtype(float)).names or ()
        if 'Segmentation' not in names:
            raise _mat_error(mat_path, f'annotation {k} has no '
                             f"'Segmentation' field (fields: {names})")
        seg = np.asarray(ann['Segmentation'].ravel()[0])
        integral = np.issubdtype(seg.dtype, np.integer) or (
            np.issubdtype(seg.dtype, np.floating)
            and np.array_equal(seg, np.round(seg)))
        if seg.ndim != 2 or seg.size == 0 or not integral:
            raise _mat_error(mat_path, f"annotation {k}'s 'Segmentation' is "
                             f'{seg.dtype} of shape {seg.shape}, not a 2-D '
                             'integer label map')
        if segs and seg.shape != segs[0].shape:
            raise _mat_error(mat_path, f'annotation {k} is {seg.shape}, '
                             f'annotation 0 is {segs[0].shape}')
        segs.append(seg)
    labels = np.stack(segs)
    if labels.dtype != np.uint16:
        if labels.min() < 0 or labels.max() > np.iinfo(np.uint16).max:
            raise _mat_error(mat_path, 'labels lie outside 0..65535')
        labels = labels.astype(np.uint16)
    return labels


@DATASETS.register_module()
class BSDS500Dataset(BaseSegDataset):
    """BSDS500 read from its official layout, for learned superpixels.

    Expects ``<data_root>/images/{split}/<id>.jpg`` and
    ``<data_root>/groundTruth/{split}/<id>.mat`` (``BSR/BSDS500/data``);
    every image must have a .mat and every .mat an image. Each .mat holds
    4..9 human annotations (see :func:`load_bsds_groundtruth`).

    Two modes:

    - ``'per_annotation'`` (training, the SCN/SSN protocol): every human
      annotation of every image is one sample, ``annotation_index=k``; the
      train split gives 1087 samples from 200 images.
    - ``'per_image'`` (evaluation): one sample per image carrying all its
      annotations, ``annotation_index=None``.

    Each data info holds ``img_path``, ``gt_path`` (the .mat),
    ``annotation_index`` (int or None), ``num_annotations`` (A of that
    image), ``seg_fields=[]``, ``label_map=None`` and
    ``reduce_zero_label=False``. Use ``LoadSuperpixelAnnotations`` (not
    mmseg's ``LoadAnnotations``) to read the labels.

    The dataset is checked when it is built: folders, image/.mat pairing and
    each .mat's ``groundTruth`` header (read with :func:`scipy.io.whosmat`,
    which also gives the annotator counts: ~0.7 s for the 200 train files).
    Corrupt label data past the header is reported when a sample is loaded.

    ``classes=('segment',)`` is nominal: label values are segment ids, not
    classes, and the number of segments varies per annotation.

    Args:
        data_root (str): The ``BSDS500/data`` folder.
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to
            ``'train'``.
        mode (str): ``'per_annotation'`` or ``'per_image'``. Defaults to
            ``'per_annotation'``.
        data_prefix (dict, optional): ``img_path`` and ``seg_map_path``
            folders relative to ``data_root``. Defaults to
            ``images/{split}`` and ``groundTruth/{split}``.
        img_suffix (str): Image suffix. Defaults to ``'.jpg'``.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`
            (``pipeline``, ``test_mode``, ``lazy_init``, ``indices``...).
    """
    METAINFO = dict(classes=('segment', ), palette=[[128, 128, 128]])

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 mode: str = 'per_annotation',
                 data_prefix: Optional[dict] = None,
                 img_suffix: str = '.jpg',
                 **kwargs) -> None:
        if split not in BSDS_SPLITS:
            raise ValueError(f'split must be one of {BSDS_SPLITS}, got '
                             f'{split!r}.')
        if mode not in BSDS_MODES:
            raise ValueError(
                f'mode must be one of {BSDS_MODES}, got {mode!r}: '
                "'per_annotation' for training, 'per_image' for evaluation.")
        if 'ann_file' in kwargs:
            raise TypeError('BSDS500Dataset takes no ann_file: it lists the '
                            'images/{split} folder. Use `indices` for a '
                            'subset.')
        self.split = split
        self.mode = mode
        if data_prefix is None:
            data_prefix = dict(img_path=osp.join('images', split),
                               seg_map_path=osp.join('groundTruth', split))
        super().__init__(
            data_root=data_root,
            data_prefix=data_prefix,
            img_suffix=img_suffix,
            seg_map_suffix='.mat',
            **kwargs)

    def _list_stems(self, folder: str, suffix: str, what: str) -> List[str]:
        if not osp.isdir(folder):
            parent = osp.dirname(folder.rstrip('/'))
            found = (sorted(os.listdir(parent)) if osp.isdir(parent) else
                     f'nothing: {parent!r} does not exist either')
            raise FileNotFoundError(
                f'BSDS500 {what} folder {folder!r} does not exist (found '
                f'{found}). Point data_root at the BSDS500 data folder that '
                'holds images/ and groundTruth/, each with train/ val/ '
                "test/, or pick a split that is present.")
        return sorted(name[:-len(suffix)] for name in os.listdir(folder)
                      if name.endswith(suffix))

    @staticmethod
    def _count_annotations(mat_path: str) -> int:
        """Annotator count from the .mat header, without reading labels."""
        try:
            variables = sio.whosmat(mat_path)
        except Exception as e:  # corrupt: scipy raises many types
            raise _mat_error(mat_path, f'scipy.io.whosmat failed with '
                             f'{type(e).__name__}: {e}') from e
        shapes = {name: (shape, kind) for name, shape, kind in variables}
        if 'groundTruth' not in shapes:
            raise _mat_error(mat_path, "no 'groundTruth' variable (found "
                             f'{sorted(shapes)})')
        shape, kind = shapes['groundTruth']
        count = int(np.prod(shape))
        if kind != 'cell' or count == 0:
            raise _mat_error(mat_path, f"'groundTruth' is a {kind} of shape "
                             f'{shape}, not a non-empty cell')
        return count

    def load_data_list(self) -> List[dict]:
        """List the split and check it (see the class docstring).

        Returns:
            list[dict]: One data info per annotation (``'per_annotation'``)
            or per image (``'per_image'``), sorted by image id.

        Raises:
            FileNotFoundError: Missing folders, or images without a .mat
                (or the reverse).
            ValueError: An empty split, or a .mat that is corrupt or has no
                ``groundTruth`` cell.
        """
        if self.data_root and not osp.isdir(self.data_root):
            raise FileNotFoundError(
                f'BSDS500 data_root {self.data_root!r} does not exist '
                f'(resolved from {osp.abspath(".")}). Point it at the folder '
                'that holds images/ and groundTruth/ (BSR/BSDS500/data).')
        img_dir = self.data_prefix['img_path']
        gt_dir = self.data_prefix['seg_map_path']
        img_ids = self._list_stems(img_dir, self.img_suffix, 'image')
        gt_ids = self._list_stems(gt_dir, self.seg_map_suffix,
                                  'ground-truth')
        for missing, have, lack in ((sorted(set(img_ids) - set(gt_ids)),
                                     'images', f'.mat in {gt_dir!r}'),
                                    (sorted(set(gt_ids) - set(img_ids)),
                                     '.mat files', f'image in {img_dir!r}')):
            if missing:
                raise FileNotFoundError(
                    f'{len(missing)} BSDS500 {self.split} {have} have no '
                    f'{lack}, e.g. {missing[:5]}. Restore the missing files '
                    'or remove the unpaired ones.')
        if not img_ids:
            raise ValueError(
                f'BSDS500 split {self.split!r} is empty: no '
                f'*{self.img_suffix} in {img_dir!r}. Check data_root.')
        data_list = []
        for img_id in img_ids:
            gt_path = osp.join(gt_dir, img_id + self.seg_map_suffix)
            count = self._count_annotations(gt_path)
            indices = (range(count)
                       if self.mode == 'per_annotation' else [None])
            for k in indices:
                data_list.append(
                    dict(
                        img_path=osp.join(img_dir, img_id + self.img_suffix),
                        gt_path=gt_path,
                        annotation_index=k,
                        num_annotations=count,
                        label_map=self.label_map,
                        reduce_zero_label=self.reduce_zero_label,
                        seg_fields=[]))
        return data_list
