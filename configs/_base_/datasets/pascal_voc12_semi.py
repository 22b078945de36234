# Semi-supervised PASCAL VOC 2012 (train_aug, SegmentationClassAug labels)
# with the split lists of U2PL / UniMatch / DDFP under <data_root>/splits/:
#   splits/<labeled_split>/labeled.txt, splits/<labeled_split>/unlabeled.txt
# labeled_split, data_root and crop_size are resolved after --cfg-options
# (the ${...} placeholders), so `--cfg-options data_root=/data/VOC2012` moves
# every list and `--cfg-options labeled_split=366` switches both lists;
# classic splits 92, 183, 366, 732, 1464, blended 1_16, 1_8, 1_4.
# Geometric augmentation (UniMatch/DDFP: resize 0.5-2.0 of the image, crop,
# flip) runs once, before the branches, so weak and strong views align.
dataset_type = 'VOCSplitDataset'
data_root = 'data/VOCdevkit/VOC2012'
labeled_split = '732'
crop_size = (513, 513)
geometric = [
    dict(type='RandomRelativeResize', ratio_range=(0.5, 2.0)),
    dict(type='RandomCrop', crop_size='${crop_size}'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='Pad', size='${crop_size}'),  # image 0, labels 255
]
labeled_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='LoadAnnotations'),
    *geometric,
    dict(type='MultiBranch', sup=[dict(type='PackSegInputs')]),
]
unlabeled_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='LoadUnlabeledValidity', reference=True),
    *geometric,
    dict(
        type='MultiBranch',
        unsup_teacher=[dict(type='PackSegInputs')],
        unsup_student=[
            dict(type='StrongPhotometricAugment'),
            dict(type='PackSegInputs')
        ]),
]
labeled_dataset = dict(
    type=dataset_type,
    data_root='${data_root}',
    ann_file='splits/${labeled_split}/labeled.txt',
    data_prefix=dict(
        img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
    pipeline=labeled_pipeline)
unlabeled_dataset = dict(
    type=dataset_type,
    data_root='${data_root}',
    ann_file='splits/${labeled_split}/unlabeled.txt',
    disjoint_from='splits/${labeled_split}/labeled.txt',
    # reference labels: pseudo-label diagnostics only, never trained on
    data_prefix=dict(
        img_path='JPEGImages',
        seg_map_path=None,
        reference_seg_map_path='SegmentationClassAug'),
    pipeline=unlabeled_pipeline)
# per process: 4 labeled + 4 unlabeled images (DDFP: 4 GPUs -> 16 + 16)
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='MultiSourceSampler', batch_size=8, source_ratio=[1, 1]),
    dataset=dict(
        type='ConcatDataset', datasets=[labeled_dataset, unlabeled_dataset]))
test_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root='${data_root}',
        ann_file='ImageSets/Segmentation/val.txt',
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClass'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
