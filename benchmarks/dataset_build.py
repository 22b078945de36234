"""Cost of VOCSplitDataset's file checks, next to mmseg's PascalVOCDataset.

Builds both datasets (no pipeline) over a VOC-sized tree of empty files
(10582 images + label maps, the train_aug size) and prints the build times.

Example:
    python benchmarks/dataset_build.py --num-images 10582 --repeat 5
"""
import argparse
import os
import os.path as osp
import tempfile
import time

from mmengine.registry import init_default_scope

import mmsuperpix  # noqa: F401
from mmsuperpix.registry import DATASETS


def make_tree(root: str, n: int) -> None:
    for sub in ('JPEGImages', 'SegmentationClassAug',
                'ImageSets/Segmentation'):
        os.makedirs(osp.join(root, sub), exist_ok=True)
    ids = [f'2008_{k:06d}' for k in range(n)]
    for i in ids:
        open(osp.join(root, 'JPEGImages', i + '.jpg'), 'w').close()
        open(osp.join(root, 'SegmentationClassAug', i + '.png'), 'w').close()
    with open(osp.join(root, 'ImageSets/Segmentation/train.txt'), 'w') as f:
        f.write(''.join(i + '\n' for i in ids))


def best_of(cfg: dict, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        DATASETS.build(cfg)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--num-images', type=int, default=10582)
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args()
    init_default_scope('mmseg')
    with tempfile.TemporaryDirectory() as root:
        make_tree(root, args.num_images)
        common = dict(
            data_root=root,
            ann_file='ImageSets/Segmentation/train.txt',
            data_prefix=dict(
                img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
            pipeline=[])
        ours = best_of(dict(type='VOCSplitDataset', **common), args.repeat)
        theirs = best_of(dict(type='PascalVOCDataset', **common),
                         args.repeat)
    print(f'dataset build, {args.num_images} images, best of {args.repeat}')
    print(f'  mmseg PascalVOCDataset (no file checks): {theirs * 1e3:8.1f} ms')
    print(f'  VOCSplitDataset (checks every file)    : {ours * 1e3:8.1f} ms')
    print(f'  overhead                               : '
          f'{(ours - theirs) * 1e3:8.1f} ms ({ours / theirs:.2f}x)')


if __name__ == '__main__':
    main()
