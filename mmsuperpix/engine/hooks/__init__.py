from .ddfp_hook import DDFPHook
from .mean_teacher_hook import MeanTeacherHook
from .metric_curves_hook import MetricCurvesHook
from .superpixel_visualization_hook import SuperpixelVisualizationHook

__all__ = [
    'DDFPHook', 'MeanTeacherHook', 'MetricCurvesHook',
    'SuperpixelVisualizationHook'
]
