from .superpixel_metric import SuperpixelMetric

__all__ = ['SuperpixelMetric']
