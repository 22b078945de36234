from .boundary_fscore import boundary_counts, boundary_fscore, fill_ignored
from .superpixel_metrics import (METRIC_KEYS, boundary_map, default_tolerance,
                                 superpixel_metrics)

__all__ = [
    'METRIC_KEYS', 'boundary_counts', 'boundary_fscore', 'boundary_map',
    'default_tolerance', 'fill_ignored', 'superpixel_metrics'
]
