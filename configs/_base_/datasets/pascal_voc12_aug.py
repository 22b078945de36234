# PASCAL VOC 2012 + SBD augmented labels: the 10582-image `train_aug` list
# with SegmentationClassAug labels, as DDFP, UniMatch and U2PL train.
# Put the split lists of those projects (splits/pascal/*) under
# <data_root>/splits/ (train_aug.txt, val.txt, 92/labeled.txt, ...).
_base_ = './pascal_voc12.py'
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
        ann_file='splits/train_aug.txt'))
