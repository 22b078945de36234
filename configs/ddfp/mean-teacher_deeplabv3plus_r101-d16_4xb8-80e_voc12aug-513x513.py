# Baseline: the same mean teacher (strong views, CutMix, EMA teacher, 0.95
# threshold) without feature perturbation.
_base_ = ['./ddfp_deeplabv3plus_r101-d16_4xb8-80e_voc12aug-513x513.py']
model = dict(feature_perturbation=None, semi_train_cfg=dict(teacher='ema'))
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='MeanTeacherHook', decay=0.999, warmup=True),
]
