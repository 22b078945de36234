# CDS's official BSDS500 recipe (rookiie/CDSpixel main.py): batch 8 of
# 208x208 crops after a random rescale by 0.7-1.4 (the public code draws
# 0.7 + k/10, bicubic; here uniform, bilinear) and flips; Adam 5e-4, betas
# (0.9, 0.999), weight decay 4e-4 on weights only; poly(0.9) decay over 150k
# iterations. The public code writes the poly rate only into its first
# parameter group (the biases), so its weights stay at 5e-4; this config
# decays every parameter, as the schedule is described.
_base_ = [
    '../_base_/models/cds.py',
    '../_base_/datasets/bsds500_gradient-modality.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_superpixel_4k.py'
]
max_iters = 150000
train_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='LoadSuperpixelAnnotations'),
    dict(type='RandomRelativeResize', ratio_range=(0.7, 1.4)),
    dict(type='RandomCrop', crop_size='${crop_size}'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='GradientModality'),
    dict(type='PackSuperpixelInputs')
]
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
optim_wrapper = dict(optimizer=dict(lr=5e-4))
param_scheduler = [
    dict(type='PolyLR', power=0.9, eta_min=0.0, begin=0,
         end='${max_iters}', by_epoch=False)
]
train_cfg = dict(max_iters='${max_iters}', val_interval='${max_iters*0.1}')
default_hooks = dict(checkpoint=dict(interval='${max_iters*0.1}'))
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='AuxiliaryEstimatorHook', final_lr_ratio=1.0)
]
randomness = dict(seed=123)
