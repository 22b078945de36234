from .hooks import MetricCurvesHook, SuperpixelVisualizationHook

__all__ = ['MetricCurvesHook', 'SuperpixelVisualizationHook']
