# Supervised baseline on the embedded demo data: DeepLabV3+ with a slim
# ResNet-18 trained from scratch, 1500 iterations of batch 8 (a few minutes
# on 2 CPU cores). `make demo` trains and evaluates this config.
_base_ = [
    '../_base_/models/deeplabv3plus_r18w16-d8.py',
    '../_base_/datasets/demo_voc.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_20k.py'
]
max_iters = 1500  # the budget: the schedule below is written relative to it
data_preprocessor = dict(size='${crop_size}')
model = dict(data_preprocessor=data_preprocessor)
optimizer = dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4)
optim_wrapper = dict(optimizer=optimizer)
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
train_cfg = dict(max_iters='${max_iters}', val_interval='${max_iters*0.3334}')
default_hooks = dict(
    checkpoint=dict(interval='${max_iters*0.3334}', max_keep_ckpts=2))
randomness = dict(seed=0)
