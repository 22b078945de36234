# Baseline for the demo DDFP run: mean teacher (EMA teacher, decay 0.99 for
# the 1500-iteration budget), no feature perturbation; the same pseudo-label
# rule, ramp and schedule as the DDFP config.
_base_ = ['./ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py']
model = dict(feature_perturbation=None, semi_train_cfg=dict(teacher='ema'))
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='MeanTeacherHook', decay=0.99, warmup=True),
]
