# AINet on BSDS500 train: batch 16 of 208x208 crops with flips and patch
# jitter, 4k iterations, boundary-perceiving fine-tuning in the last 1k.
# Validation: BSDS500 val, all annotators, ~600 superpixels.
_base_ = [
    '../_base_/models/ainet.py', '../_base_/datasets/bsds500.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_superpixel_4k.py'
]
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
model = dict(train_cfg=dict(boundary_loss_start_iter=3000))
randomness = dict(seed=2020)
