# BSDS500 (crops and flips, as bsds500.py) plus CDS's auxiliary modality,
# computed after the geometric transforms so that it stays aligned.
_base_ = ['./bsds500.py']
train_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='LoadSuperpixelAnnotations'),
    dict(type='RandomCrop', crop_size='${crop_size}'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='GradientModality'),
    dict(type='PackSuperpixelInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
