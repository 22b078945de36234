# DINO's schedule (Caron et al., ICCV 2021): AdamW, learning rate warmed up
# linearly over the first 10% of the run (10 of 100 epochs) to
# base_lr = 5e-4 x batch / 256, then cosine decay to 1e-6; weight decay
# cosine from 0.04 to 0.4 (none on biases and norm layers); gradient
# clipping at norm 3 (DINO clips each parameter's gradient, mmengine the
# total norm). Written in shares of the top-level `max_iters`; no validation
# (no labels are used). The configs' DINOHook sets the teacher's temperature and
# momentum and the last layer's freezing per iteration.
max_iters = 3000
batch_size = 32
base_lr = 5e-4 * batch_size / 256  # set it again when batch_size changes
optim_wrapper = dict(
    type='OptimWrapper',
    constructor='SubmoduleOptimWrapperConstructor',
    submodule='student',  # the momentum teacher is never stepped
    optimizer=dict(
        type='AdamW', lr=base_lr, weight_decay=0.04, betas=(0.9, 0.999)),
    paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0),
    clip_grad=dict(max_norm=3.0))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        begin=0,
        end='${max_iters*0.1}',
        by_epoch=False),
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-6,
        begin='${max_iters*0.1}',
        end='${max_iters}',
        by_epoch=False),
    dict(
        type='CosineAnnealingParamScheduler',
        param_name='weight_decay',
        eta_min_ratio=10.0,
        begin=0,
        end='${max_iters}',
        by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters='${max_iters}')
val_cfg = None
test_cfg = None
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False,
        interval='${max_iters*0.25}', max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'))
