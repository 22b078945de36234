# SCN's own recipe (the public code's defaults): batch 4, Adam lr 5e-5,
# halved at 200k iterations, 300k iterations.
_base_ = './scn_1xb16-4k_bsds500-208x208.py'
train_dataloader = dict(batch_size=4)
optim_wrapper = dict(optimizer=dict(lr=5e-5))
param_scheduler = [
    dict(type='MultiStepLR', milestones=[200000], gamma=0.5, by_epoch=False)
]
train_cfg = dict(max_iters=300000, val_interval=10000)
default_hooks = dict(checkpoint=dict(interval=10000))
