from .boundary_fscore import boundary_counts, boundary_fscore, fill_ignored
from .cluster_matching import (MATCH_MODES, cluster_confusion, match_clusters,
                               matched_scores)
from .superpixel_metrics import (METRIC_KEYS, boundary_map, default_tolerance,
                                 superpixel_metrics)

__all__ = [
    'MATCH_MODES', 'METRIC_KEYS', 'boundary_counts', 'boundary_fscore',
    'boundary_map', 'cluster_confusion', 'default_tolerance', 'fill_ignored',
    'match_clusters', 'matched_scores', 'superpixel_metrics'
]
