# BSDS500 with AINet's training augmentation: random crops, horizontal and
# vertical flips and two patch-jitter steps.
_base_ = ['./bsds500.py']
train_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='LoadSuperpixelAnnotations'),
    dict(type='RandomCrop', crop_size='${crop_size}'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='PatchJitter', prob=0.5),
    dict(type='PatchJitter', prob=0.5),
    dict(type='PackSuperpixelInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
