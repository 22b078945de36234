# NeuralEF segmentation's schedule (Deng et al., ICCV 2023; public code):
# Adam at 1e-3, no weight decay, cosine decay to 1e-5 per iteration. Written
# in shares of the top-level `max_iters`, so `--cfg-options
# train_cfg.max_iters=N` rescales decay, validation and checkpoints. The
# Gumbel temperature follows the same budget (the configs' custom_hooks add
# GumbelTemperatureHook).
max_iters = 12000
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=0.0))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-5,
        begin=0,
        end='${max_iters}',
        by_epoch=False)
]
train_cfg = dict(
    type='IterBasedTrainLoop',
    max_iters='${max_iters}',
    val_interval='${max_iters*0.25}')
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False,
        interval='${max_iters*0.25}'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
