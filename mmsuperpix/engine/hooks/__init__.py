from .atomic_checkpoint_hook import AtomicCheckpointHook
from .auxiliary_estimator_hook import AuxiliaryEstimatorHook
from .checkpoint_fit_hook import CheckpointFitHook
from .dino_hook import DINOHook
from .gumbel_temperature_hook import GumbelTemperatureHook
from .mean_teacher_hook import MeanTeacherHook
from .metric_curves_hook import MetricCurvesHook
from .non_finite_guard_hook import NonFiniteGuardHook, TrainingDivergedError
from .random_state_hook import RandomStateHook
from .superpixel_visualization_hook import SuperpixelVisualizationHook

__all__ = [
    'AtomicCheckpointHook', 'AuxiliaryEstimatorHook', 'CheckpointFitHook', 'DINOHook',
    'GumbelTemperatureHook', 'MeanTeacherHook', 'MetricCurvesHook', 'NonFiniteGuardHook',
    'RandomStateHook', 'SuperpixelVisualizationHook', 'TrainingDivergedError'
]
