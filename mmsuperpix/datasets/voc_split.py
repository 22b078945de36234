"""PASCAL VOC 2012 read from a split list, with checks that say what to fix."""
import os.path as osp
from typing import List, Optional

from mmseg.datasets import BaseSegDataset, PascalVOCDataset

from mmsuperpix.registry import DATASETS


@DATASETS.register_module()
class VOCSplitDataset(BaseSegDataset):
    """PASCAL VOC 2012 (or the same layout) listed by a split file.

    Reads both split-file formats in use:

    - mmseg / VOC devkit ``ImageSets/Segmentation/*.txt``: one image id per
      line (``2007_000032``);
    - the semi-supervised split lists of U2PL, UniMatch and DDFP
      (``splits/pascal/92/labeled.txt``): ``JPEGImages/2007_000032.jpg
      SegmentationClass/2007_000032.png`` per line.

    Only the image id is taken from a line: images are read from
    ``data_prefix['img_path']`` and label maps from
    ``data_prefix['seg_map_path']`` (``SegmentationClassAug`` for the
    augmented VOC labels DDFP trains on, although the lists say
    ``SegmentationClass``). ``seg_map_path=None`` gives an unlabeled set.
    An unlabeled set may name ``data_prefix['reference_seg_map_path']``: a
    label folder used for pseudo-label diagnostics only (never for
    training); images whose label file is absent there simply have none
    (``reference_seg_map_path`` in the data info otherwise).

    Every listed file is checked when the dataset is built, so a wrong
    ``data_root``, a missing split file or a list naming absent images fails
    at once with the path to fix, not inside a DataLoader worker.

    Args:
        ann_file (str): The split file, relative to ``data_root`` unless
            absolute.
        data_prefix (dict): ``img_path`` and ``seg_map_path`` folders,
            relative to ``data_root``. Defaults to ``JPEGImages`` and
            ``SegmentationClass``.
        img_suffix (str): Image file suffix. Defaults to ``'.jpg'``.
        seg_map_suffix (str): Label map suffix. Defaults to ``'.png'``.
        disjoint_from (str, optional): Another split file (same formats,
            relative to ``data_root`` unless absolute) that must share no
            image with this one, e.g. the labeled list of a semi-supervised
            split for its unlabeled list.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`.
    """
    METAINFO = PascalVOCDataset.METAINFO

    def __init__(self,
                 ann_file: str,
                 data_prefix: Optional[dict] = None,
                 img_suffix: str = '.jpg',
                 seg_map_suffix: str = '.png',
                 disjoint_from: Optional[str] = None,
                 **kwargs) -> None:
        if data_prefix is None:
            data_prefix = dict(
                img_path='JPEGImages', seg_map_path='SegmentationClass')
        # mmengine joins every prefix with data_root: drop the None of an
        # unlabeled set instead of failing there
        data_prefix = {k: v for k, v in data_prefix.items() if v is not None}
        data_root = kwargs.get('data_root')
        for name, value in (('data_root', data_root), ('ann_file', ann_file),
                            ('disjoint_from', disjoint_from)):
            if isinstance(value, str) and '${' in value:
                raise ValueError(
                    f'{name} {value!r} still holds a ${{...}} placeholder: '
                    "run mmsuperpix's tools/train.py or test.py, which fill "
                    'them from top-level config keys, or write it out')
        self.disjoint_from = disjoint_from if disjoint_from is None or \
            osp.isabs(disjoint_from) else osp.join(data_root or '',
                                                   disjoint_from)
        if data_root and not osp.isdir(data_root):
            raise FileNotFoundError(
                f'data_root {data_root!r} does not exist (resolved from '
                f'{osp.abspath(".")}). Point the config\'s data_root at a '
                'VOCdevkit/VOC2012 folder, e.g. --cfg-options '
                'data_root=/path/to/VOCdevkit/VOC2012, or generate the demo '
                'data with `make demo-data`.')
        super().__init__(
            ann_file=ann_file,
            data_prefix=data_prefix,
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            **kwargs)

    @staticmethod
    def parse_split_line(line: str) -> str:
        """Return the image id of one split-file line.

        Args:
            line (str): ``'2007_000032'`` or
                ``'JPEGImages/2007_000032.jpg SegmentationClass/...png'``.

        Returns:
            str: The id, e.g. ``'2007_000032'``.
        """
        return osp.splitext(osp.basename(line.split()[0]))[0]

    def _read_ids(self, path: Optional[str] = None) -> List[str]:
        path = path or self.ann_file
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'split file {path!r} does not exist. Set ann_file '
                'to a split list relative to data_root (e.g. '
                "'ImageSets/Segmentation/train.txt') or an absolute path.")
        with open(path) as f:
            ids = [self.parse_split_line(ln) for ln in f if ln.strip()]
        if not ids:
            raise ValueError(f'split file {path!r} lists no images.')
        duplicates = len(ids) - len(set(ids))
        if duplicates:
            raise ValueError(
                f'split file {path!r} lists {duplicates} image id(s) '
                'more than once; remove the repeated lines.')
        return ids

    def _check_exist(self, paths: List[str], what: str, folder: str) -> None:
        missing = [p for p in paths if not osp.isfile(p)]
        if missing:
            raise FileNotFoundError(
                f'{len(missing)} of {len(paths)} {what} listed in '
                f'{self.ann_file!r} do not exist under {folder!r}, e.g. '
                f'{missing[:3]}. Check data_root and data_prefix, or remove '
                'those ids from the split file.')

    def load_data_list(self) -> List[dict]:
        """Build one data info per listed id, after checking the files.

        Returns:
            list[dict]: ``img_path``, ``seg_map_path`` (labeled sets only),
            ``label_map``, ``reduce_zero_label``, ``seg_fields`` per image.
        """
        img_dir = self.data_prefix['img_path']
        seg_dir = self.data_prefix.get('seg_map_path')
        if not osp.isdir(img_dir):
            raise FileNotFoundError(
                f'image folder {img_dir!r} does not exist; check data_root '
                "and data_prefix['img_path'].")
        ids = self._read_ids()
        if self.disjoint_from is not None:
            shared = sorted(set(ids) & set(self._read_ids(self.disjoint_from)))
            if shared:
                raise ValueError(
                    f'{len(shared)} image(s) appear in both {self.ann_file!r} '
                    f'and {self.disjoint_from!r} (e.g. {shared[:3]}): an '
                    'image cannot be labeled and unlabeled; fix the split '
                    'lists')
        img_paths = [osp.join(img_dir, i + self.img_suffix) for i in ids]
        self._check_exist(img_paths, 'images', img_dir)
        seg_paths = None
        if seg_dir is not None:
            seg_paths = [osp.join(seg_dir, i + self.seg_map_suffix)
                         for i in ids]
            self._check_exist(seg_paths, 'label maps', seg_dir)
        ref_dir = self.data_prefix.get('reference_seg_map_path')
        data_list = []
        for k, img_path in enumerate(img_paths):
            info = dict(
                img_path=img_path,
                label_map=self.label_map,
                reduce_zero_label=self.reduce_zero_label,
                seg_fields=[])
            if seg_paths is not None:
                info['seg_map_path'] = seg_paths[k]
            if ref_dir is not None:
                ref = osp.join(ref_dir, ids[k] + self.seg_map_suffix)
                if osp.isfile(ref):
                    info['reference_seg_map_path'] = ref
            data_list.append(info)
        return data_list
