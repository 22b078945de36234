"""NYUv2 in the layout of Stutz et al.'s superpixel benchmark."""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from mmseg.datasets import BaseSegDataset

from mmsuperpix.registry import DATASETS


@DATASETS.register_module()
class NYUv2SuperpixelDataset(BaseSegDataset):
    """NYU Depth v2 as converted by Stutz et al.'s superpixel benchmark.

    Layout (``data/NYUV2`` of ``davidstutz/superpixel-benchmark``)::

        <data_root>/images/{split}/<id>.png            (or .jpg)
        <data_root>/csv_groundTruth/{split}/<id>.csv   (or a 16-bit .png)

    where ``<id>`` is the 8-digit zero-padded 1-based index into the 1449
    labeled NYUv2 images (``00000002``). Each ground truth is one integer
    label map (comma-separated rows in the .csv, or a single-channel 8/16-bit
    .png with the same stem; the .csv wins when both exist). The benchmark
    labels unlabeled pixels 0; they are kept as one more segment.

    The index list ``ann_file`` (``nyuv2_test_subset.txt`` for
    ``split='test'``, ``nyuv2_train_subset.txt`` for ``split='train'``) may
    hold padded (``00000002``) or unpadded (``2``) ids; both are normalised
    to the 8-digit zero-padded file stem. Without ``ann_file`` every image of
    the split folder is used.

    One sample per image; data infos hold ``img_path``, ``gt_path``,
    ``annotation_index=None``, ``num_annotations=1``, ``seg_fields=[]``,
    ``label_map=None`` and ``reduce_zero_label=False``. Read the labels with
    ``LoadSuperpixelAnnotations``. Every listed file is checked when the
    dataset is built.

    Args:
        data_root (str): The ``NYUV2`` folder.
        split (str): The sub-folder of ``images`` and ``csv_groundTruth``.
            Defaults to ``'test'``.
        ann_file (str): Index list, relative to ``data_root`` unless
            absolute. Defaults to ``''`` (all images of the split).
        data_prefix (dict, optional): ``img_path`` and ``seg_map_path``
            folders relative to ``data_root``. Defaults to
            ``images/{split}`` and ``csv_groundTruth/{split}``.
        img_suffixes (Sequence[str]): Image suffixes, in order of
            preference. Defaults to ``('.png', '.jpg')``.
        gt_suffixes (Sequence[str]): Ground-truth suffixes, in order of
            preference. Defaults to ``('.csv', '.png')``.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`.
    """
    METAINFO = dict(classes=('segment', ), palette=[[128, 128, 128]])

    def __init__(self,
                 data_root: str,
                 split: str = 'test',
                 ann_file: str = '',
                 data_prefix: Optional[dict] = None,
                 img_suffixes: Sequence[str] = ('.png', '.jpg'),
                 gt_suffixes: Sequence[str] = ('.csv', '.png'),
                 **kwargs) -> None:
        self.split = split
        self.img_suffixes = tuple(img_suffixes)
        self.gt_suffixes = tuple(gt_suffixes)
        if data_prefix is None:
            data_prefix = dict(img_path=osp.join('images', split),
                               seg_map_path=osp.join('csv_groundTruth',
                                                     split))
        super().__init__(
            ann_file=ann_file,
            data_root=data_root,
            data_prefix=data_prefix,
            img_suffix=self.img_suffixes[0],
            seg_map_suffix=self.gt_suffixes[0],
            **kwargs)

    @staticmethod
    def normalise_id(line: str) -> str:
        """The 8-digit zero-padded file stem of one index-list line.

        Args:
            line (str): ``'7'``, ``'00000007'`` or ``'00000007.png'``.

        Returns:
            str: ``'00000007'``.

        Raises:
            ValueError: When the id is not a non-negative integer of at most
                8 digits.
        """
        token = osp.splitext(osp.basename(line.split()[0]))[0]
        if not token.isdigit() or len(token.lstrip('0')) > 8:
            raise ValueError(
                f'index-list line {line.strip()!r} is not an NYUv2 image '
                'index: expected an integer such as 7 or 00000007.')
        return f'{int(token):08d}'

    def read_ids(self) -> List[str]:
        """Read and normalise ``ann_file`` (see :meth:`normalise_id`).

        Returns:
            list[str]: 8-digit ids in file order.
        """
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'NYUv2 index list {self.ann_file!r} does not exist. Set '
                "ann_file to e.g. 'nyuv2_test_subset.txt' (relative to "
                'data_root) or an absolute path, or to "" for all images.')
        with open(self.ann_file) as f:
            ids = [self.normalise_id(ln) for ln in f if ln.strip()]
        if not ids:
            raise ValueError(f'NYUv2 index list {self.ann_file!r} lists no '
                             'images.')
        if len(set(ids)) != len(ids):
            raise ValueError(
                f'NYUv2 index list {self.ann_file!r} names '
                f'{len(ids) - len(set(ids))} image(s) twice (ids are '
                'compared after zero-padding to 8 digits); remove them.')
        return ids

    @staticmethod
    def _index_folder(folder: str, suffixes: Sequence[str],
                      what: str) -> Dict[str, str]:
        """Map stem -> path of the files with the first matching suffix."""
        if not osp.isdir(folder):
            raise FileNotFoundError(
                f'NYUv2 {what} folder {folder!r} does not exist. Point '
                'data_root at the benchmark\'s NYUV2 folder (holding images/ '
                'and csv_groundTruth/) and check split and data_prefix.')
        names = set(os.listdir(folder))
        paths = {}
        for suffix in reversed(suffixes):  # earlier suffixes win
            for name in names:
                if name.endswith(suffix):
                    paths[name[:-len(suffix)]] = osp.join(folder, name)
        return paths

    def load_data_list(self) -> List[dict]:
        """List the images, pair them with their ground truth, check both.

        Returns:
            list[dict]: One data info per image, in index-list order (sorted
            by id without an index list).
        """
        if self.data_root and not osp.isdir(self.data_root):
            raise FileNotFoundError(
                f'NYUv2 data_root {self.data_root!r} does not exist '
                f'(resolved from {osp.abspath(".")}).')
        img_dir = self.data_prefix['img_path']
        gt_dir = self.data_prefix['seg_map_path']
        images = self._index_folder(img_dir, self.img_suffixes, 'image')
        gts = self._index_folder(gt_dir, self.gt_suffixes, 'ground-truth')
        ids = self.read_ids() if self.ann_file else sorted(images)
        if not ids:
            raise ValueError(f'no {"/".join(self.img_suffixes)} images in '
                             f'{img_dir!r}; check data_root and split.')
        source = (repr(self.ann_file) if self.ann_file else
                  f'the images of {img_dir!r}')
        for table, folder, what in ((images, img_dir, 'images'),
                                    (gts, gt_dir, 'ground truths')):
            missing = [i for i in ids if i not in table]
            if missing:
                raise FileNotFoundError(
                    f'{len(missing)} of {len(ids)} {what} listed by {source} '
                    f'are missing from {folder!r}, e.g. {missing[:5]}. Check '
                    'data_root, split and ann_file (ids are zero-padded to 8 '
                    'digits).')
        return [
            dict(
                img_path=images[i],
                gt_path=gts[i],
                annotation_index=None,
                num_annotations=1,
                label_map=self.label_map,
                reduce_zero_label=self.reduce_zero_label,
                seg_fields=[]) for i in ids
        ]
