from .association_head import AssociationHead
from .superpixel_pooling_head import SuperpixelPoolingHead

__all__ = ['AssociationHead', 'SuperpixelPoolingHead']
