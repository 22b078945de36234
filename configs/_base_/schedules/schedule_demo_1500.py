# The demo's schedule (CPU-sized, from scratch): SGD lr 0.05, a linear
# warm-up over the first 6.67% then poly decay, 1500 iterations, validation
# and checkpoints every third of the budget. Everything is a share of the
# top-level `max_iters`, so `--cfg-options max_iters=3000` rescales it all.
max_iters = 1500
optimizer = dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        begin=0,
        end='${max_iters*0.0667}',
        by_epoch=False),
    dict(
        type='PolyLR',
        eta_min=1e-4,
        power=0.9,
        begin='${max_iters*0.0667}',
        end='${max_iters}',
        by_epoch=False)
]
train_cfg = dict(
    type='IterBasedTrainLoop',
    max_iters='${max_iters}',
    val_interval='${max_iters*0.3334}')
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval='${max_iters*0.3334}',
        max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
