from .classic_superpixels import (CLASSIC_METHODS, classic_superpixels,
                                  contiguous_labels)
from .functional import (METRIC_KEYS, boundary_map, default_tolerance,
                         superpixel_metrics)
from .metrics import BoundaryIoUMetric, SuperpixelMetric
from .superpixel_benchmark import (ROW_KEYS, SampleList, benchmark_method,
                                   bsds500_samples, nyuv2_samples)

__all__ = [
    'BoundaryIoUMetric', 'CLASSIC_METHODS', 'METRIC_KEYS', 'ROW_KEYS',
    'SampleList',
    'SuperpixelMetric', 'benchmark_method', 'boundary_map',
    'bsds500_samples', 'classic_superpixels', 'contiguous_labels',
    'default_tolerance', 'nyuv2_samples', 'superpixel_metrics'
]
