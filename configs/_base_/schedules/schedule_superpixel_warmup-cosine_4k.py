# A short-budget recipe for the grid superpixel models: Adam at 4e-4 (5x
# AINet's 8e-5), a linear warm-up over the first 5% of the budget, cosine
# decay to 1e-6. Everything is a share of the top-level `max_iters`, so
# `--cfg-options train_cfg.max_iters=N` rescales warm-up, decay, validation
# and checkpoints. Optimiser otherwise and hooks as schedule_superpixel_4k.
_base_ = ['./schedule_superpixel_4k.py']
max_iters = 4000
optim_wrapper = dict(optimizer=dict(lr=4e-4))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        begin=0,
        end='${max_iters*0.05}',
        by_epoch=False),
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-6,
        begin='${max_iters*0.05}',
        end='${max_iters}',
        by_epoch=False)
]
train_cfg = dict(max_iters='${max_iters}', val_interval='${max_iters*0.25}')
default_hooks = dict(checkpoint=dict(interval='${max_iters*0.25}'))
