from .benchmark_curves import plot_benchmark_curves
from .superpixel_overlay import draw_superpixel_boundaries
from .training_curves import plot_training_curves, read_scalars

__all__ = [
    'draw_superpixel_boundaries', 'plot_benchmark_curves',
    'plot_training_curves', 'read_scalars'
]
