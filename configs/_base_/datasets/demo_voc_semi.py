# Semi-supervised split of the embedded demo data (see demo_voc.py): the
# labeled list splits/<labeled_split>/labeled.txt (25, 50 or 100 of the 400
# training images) and the rest unlabeled, in the layout and formats of the
# real VOC semi-supervised config (pascal_voc12_semi.py); only the root,
# the scales, the crop and the loader sizes differ.
dataset_type = 'VOCSplitDataset'
data_root = 'data/demo_voc/VOC2012'
labeled_split = '25'
crop_size = (128, 128)
geometric = [
    dict(type='RandomRelativeResize', ratio_range=(0.75, 1.5)),
    dict(type='RandomCrop', crop_size='${crop_size}'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='Pad', size='${crop_size}'),  # image 0, labels 255
]
labeled_dataset = dict(
    type=dataset_type,
    data_root='${data_root}',
    ann_file='splits/${labeled_split}/labeled.txt',
    data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClass'),
    pipeline=[
        dict(type='LoadCheckedImageFromFile'),
        dict(type='LoadAnnotations'),
        *geometric,
        dict(type='MultiBranch', sup=[dict(type='PackSegInputs')]),
    ])
unlabeled_dataset = dict(
    type=dataset_type,
    data_root='${data_root}',
    ann_file='splits/${labeled_split}/unlabeled.txt',
    disjoint_from='splits/${labeled_split}/labeled.txt',
    # reference labels: pseudo-label diagnostics only, never trained on
    data_prefix=dict(
        img_path='JPEGImages',
        seg_map_path=None,
        reference_seg_map_path='SegmentationClass'),
    pipeline=[
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
    ])
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
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
    num_workers=2,
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
