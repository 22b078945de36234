# AINet (patch jitter, boundary-perceiving loss over the last quarter) with
# the default model's short-budget recipe (Adam 4e-4, 5% linear warm-up,
# cosine decay), for the equal-budget table of
# benchmarks/superpixel_equal_budget.py.
_base_ = [
    '../_base_/models/ainet.py', '../_base_/datasets/bsds500_patch-jitter.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_superpixel_warmup-cosine_4k.py'
]
model = dict(train_cfg=dict(boundary_loss_start_iter='${max_iters*0.75}'))
randomness = dict(seed=2020)
