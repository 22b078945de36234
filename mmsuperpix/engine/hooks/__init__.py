from .metric_curves_hook import MetricCurvesHook

__all__ = ['MetricCurvesHook']
