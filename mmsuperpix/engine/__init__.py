from .hooks import (AtomicCheckpointHook, AuxiliaryEstimatorHook,
                    CheckpointFitHook, DINOHook, GumbelTemperatureHook,
                    MeanTeacherHook, MetricCurvesHook, NonFiniteGuardHook,
                    RandomStateHook, SuperpixelVisualizationHook,
                    TrainingDivergedError)
from .optimizers import SubmoduleOptimWrapperConstructor
from .runner import TeacherStudentValLoop

__all__ = [
    'AtomicCheckpointHook', 'AuxiliaryEstimatorHook', 'CheckpointFitHook',
    'DINOHook', 'GumbelTemperatureHook',
    'MeanTeacherHook', 'MetricCurvesHook', 'NonFiniteGuardHook',
    'RandomStateHook', 'SubmoduleOptimWrapperConstructor',
    'SuperpixelVisualizationHook',
    'TeacherStudentValLoop', 'TrainingDivergedError'
]
