from .superpixel_metrics import (METRIC_KEYS, boundary_map, default_tolerance,
                                 superpixel_metrics)

__all__ = [
    'METRIC_KEYS', 'boundary_map', 'default_tolerance', 'superpixel_metrics'
]
