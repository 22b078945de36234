from .hooks import (AtomicCheckpointHook, CheckpointFitHook, DDFPHook,
                    MeanTeacherHook, MetricCurvesHook, NonFiniteGuardHook,
                    RandomStateHook, SuperpixelVisualizationHook,
                    TrainingDivergedError)
from .runner import TeacherStudentValLoop

__all__ = [
    'AtomicCheckpointHook', 'CheckpointFitHook', 'DDFPHook',
    'MeanTeacherHook', 'MetricCurvesHook', 'NonFiniteGuardHook',
    'RandomStateHook', 'SuperpixelVisualizationHook',
    'TeacherStudentValLoop', 'TrainingDivergedError'
]
