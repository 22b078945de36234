# AINet's BSDS500 recipe as set for mmsuperpix: Adam lr 8e-5 (betas 0.9,
# 0.999), weight decay 4e-4 on weights and none on biases (as SCN), the lr
# halved every 2k iterations, 4k iterations.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=8e-5, betas=(0.9, 0.999),
                   weight_decay=4e-4),
    paramwise_cfg=dict(bias_decay_mult=0.0))
param_scheduler = [
    dict(type='StepLR', step_size=2000, gamma=0.5, by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=4000, val_interval=1000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=1000,
        max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SuperpixelVisualizationHook'))
