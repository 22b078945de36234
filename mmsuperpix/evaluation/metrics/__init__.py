from .boundary_iou_metric import BoundaryIoUMetric
from .superpixel_metric import SuperpixelMetric

__all__ = ['BoundaryIoUMetric', 'SuperpixelMetric']
