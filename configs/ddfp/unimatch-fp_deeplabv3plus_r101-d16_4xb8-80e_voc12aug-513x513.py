# Baseline: mean teacher + UniMatch-style feature perturbation (channel
# dropout 0.5) at DDFP's place (the classifier input of the strong views),
# same schedule and weights (0.5 clean / 0.5 perturbed).
_base_ = ['./ddfp_deeplabv3plus_r101-d16_4xb8-80e_voc12aug-513x513.py']
model = dict(
    feature_perturbation=dict(
        _delete_=True, type='DropoutFeaturePerturbation', p=0.5,
        aux_bn=False))
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='MeanTeacherHook', decay=0.999, warmup=True),
]
