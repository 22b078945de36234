# AINet on BSDS500 train: batch 16 of 208x208 crops with flips and patch
# jitter, 4k iterations, boundary-perceiving fine-tuning in the last 1k.
# Validation: BSDS500 val, all annotators, ~600 superpixels.
_base_ = [
    '../_base_/models/ainet.py', '../_base_/datasets/bsds500_patch-jitter.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_superpixel_4k.py'
]
model = dict(train_cfg=dict(boundary_loss_start_iter=3000))
randomness = dict(seed=2020)
