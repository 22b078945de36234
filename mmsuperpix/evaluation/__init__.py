from .functional import (METRIC_KEYS, boundary_map, default_tolerance,
                         superpixel_metrics)
from .metrics import SuperpixelMetric

__all__ = [
    'METRIC_KEYS', 'SuperpixelMetric', 'boundary_map', 'default_tolerance',
    'superpixel_metrics'
]
