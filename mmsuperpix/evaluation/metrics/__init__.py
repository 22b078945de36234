from .boundary_iou_metric import BoundaryIoUMetric
from .cluster_iou_metric import ClusterIoUMetric
from .superpixel_metric import SuperpixelMetric

__all__ = ['BoundaryIoUMetric', 'ClusterIoUMetric', 'SuperpixelMetric']
