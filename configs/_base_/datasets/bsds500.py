# BSDS500 for superpixels, SCN protocol: every human annotation of a training
# image is one sample (1087 train samples); validation scores every
# annotator of every image. Official layout under data_root:
#   images/{train,val,test}/*.jpg   groundTruth/{train,val,test}/*.mat
# data_root and crop_size are filled in after --cfg-options ('${...}').
dataset_type = 'BSDS500Dataset'
data_root = 'data/BSDS500'
crop_size = (208, 208)
train_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='LoadSuperpixelAnnotations'),
    dict(type='RandomCrop', crop_size='${crop_size}'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='PackSuperpixelInputs')
]
test_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='LoadSuperpixelAnnotations'),
    dict(type='PackSuperpixelInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root='${data_root}',
        split='train',
        mode='per_annotation',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root='${data_root}',
        split='val',
        mode='per_image',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='SuperpixelMetric')
test_evaluator = val_evaluator
