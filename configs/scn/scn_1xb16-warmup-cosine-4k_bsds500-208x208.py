# SCN with the default model's short-budget recipe (Adam 4e-4, 5% linear
# warm-up, cosine decay; ../_base_/schedules/
# schedule_superpixel_warmup-cosine_4k.py), for the equal-budget table of
# benchmarks/superpixel_equal_budget.py.
_base_ = [
    '../_base_/models/scn.py', '../_base_/datasets/bsds500.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_superpixel_warmup-cosine_4k.py'
]
randomness = dict(seed=2020)
