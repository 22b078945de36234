from .metric_curves_hook import MetricCurvesHook
from .superpixel_visualization_hook import SuperpixelVisualizationHook

__all__ = ['MetricCurvesHook', 'SuperpixelVisualizationHook']
