# CDS at the CPU budget of the SCN/AINet comparison configs (batch 16 of
# 208x208 crops with flips; Adam 4e-4, 5% warm-up, cosine decay over
# max_iters; ../_base_/schedules/schedule_superpixel_warmup-cosine_4k.py),
# so that the three are trained alike; the official recipe is
# cds_1xb8-150k_bsds500-208x208.py.
_base_ = [
    '../_base_/models/cds.py',
    '../_base_/datasets/bsds500_gradient-modality.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_superpixel_warmup-cosine_4k.py'
]
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='AuxiliaryEstimatorHook', final_lr_ratio=1.0)
]
randomness = dict(seed=2020)
