from .hooks import (AtomicCheckpointHook, AuxiliaryEstimatorHook,
                    CheckpointFitHook,
                    MeanTeacherHook, MetricCurvesHook, NonFiniteGuardHook,
                    RandomStateHook, SuperpixelVisualizationHook,
                    TrainingDivergedError)
from .runner import TeacherStudentValLoop

__all__ = [
    'AtomicCheckpointHook', 'AuxiliaryEstimatorHook', 'CheckpointFitHook',
    'MeanTeacherHook', 'MetricCurvesHook', 'NonFiniteGuardHook',
    'RandomStateHook', 'SuperpixelVisualizationHook',
    'TeacherStudentValLoop', 'TrainingDivergedError'
]
