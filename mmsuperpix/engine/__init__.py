from .hooks import MetricCurvesHook

__all__ = ['MetricCurvesHook']
