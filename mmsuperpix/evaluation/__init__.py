from .functional import (METRIC_KEYS, boundary_map, default_tolerance,
                         superpixel_metrics)
from .metrics import BoundaryIoUMetric, ClusterIoUMetric, SuperpixelMetric
from .benchmark_samples import (SampleList, bsds500_samples, nyuv2_samples,
                                voc_samples)
from .superpixel_benchmark import ROW_KEYS, benchmark_method

__all__ = [
    'BoundaryIoUMetric', 'ClusterIoUMetric', 'METRIC_KEYS', 'ROW_KEYS',
    'SampleList', 'SuperpixelMetric', 'benchmark_method', 'boundary_map',
    'bsds500_samples', 'default_tolerance', 'nyuv2_samples',
    'superpixel_metrics', 'voc_samples'
]
