# Baseline for the demo DDFP run: the same mean teacher, no perturbation.
_base_ = ['./ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py']
model = dict(feature_perturbation=None)
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='MeanTeacherHook', decay=0.999, warmup=True),
]
