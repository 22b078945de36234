# Baseline: supervised only, on the labeled split alone, same model,
# augmentation, batch (16 labeled per iteration) and schedule as DDFP.
_base_ = [
    '../_base_/models/deeplabv3plus_r101-d16_ddfp.py',
    '../_base_/datasets/pascal_voc12_semi.py', '../_base_/default_runtime.py'
]
max_iters = 49280  # 80 epochs of 616 iterations, as the DDFP config
train_dataloader = dict(
    batch_size=4,
    sampler=dict(_delete_=True, type='InfiniteSampler', shuffle=True),
    dataset=dict(
        _delete_=True,
        type='VOCSplitDataset',
        data_root='${data_root}',
        ann_file='splits/${labeled_split}/labeled.txt',
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
        pipeline=[
            dict(type='LoadCheckedImageFromFile'),
            dict(type='LoadAnnotations'),
            *{{_base_.geometric}},
            dict(type='PackSegInputs')
        ]))
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.001, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys=dict(decode_head=dict(lr_mult=10.0))),
    clip_grad=None)
param_scheduler = [
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=0,
         end='${max_iters}', by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters='${max_iters}',
                 val_interval='${max_iters*0.05}')
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False,
                    interval='${max_iters*0.05}', max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
randomness = dict(seed=2)
