# Baseline for the demo DDFP run: UniMatch-style channel dropout at DDFP's
# perturbation point instead of the density-descending step; pseudo-labels
# from the current student (as UniMatch and DDFP's code), the same rule,
# ramp and schedule as the DDFP config.
_base_ = ['./ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py']
model = dict(
    feature_perturbation=dict(
        _delete_=True, type='DropoutFeaturePerturbation', p=0.5,
        aux_bn=False))
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='MeanTeacherHook', decay=0.99, warmup=True),
]
