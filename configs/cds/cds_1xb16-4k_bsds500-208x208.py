# CDS with the recipe of the shipped AINet weights (batch 16 of 208x208
# crops with flips; Adam 8e-5 halved every 2k iterations, 4k iterations;
# ../_base_/schedules/schedule_superpixel_4k.py), so that the two models are
# comparable. The auxiliary modality is the gradient map (GradientModality).
_base_ = [
    '../_base_/models/cds.py',
    '../_base_/datasets/bsds500_gradient-modality.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_superpixel_4k.py'
]
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='AuxiliaryEstimatorHook', final_lr_ratio=1.0)
]
randomness = dict(seed=2020)
