from .hooks import (DDFPHook, MeanTeacherHook, MetricCurvesHook,
                    SuperpixelVisualizationHook)
from .runner import TeacherStudentValLoop

__all__ = [
    'DDFPHook', 'MeanTeacherHook', 'MetricCurvesHook',
    'SuperpixelVisualizationHook', 'TeacherStudentValLoop'
]
