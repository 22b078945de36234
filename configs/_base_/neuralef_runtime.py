# The runtime of NeuralEF segmentation: default_runtime.py plus the cosine
# annealing of the head's Gumbel temperature (GumbelTemperatureHook).
_base_ = ['./default_runtime.py']
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='GumbelTemperatureHook')
]
