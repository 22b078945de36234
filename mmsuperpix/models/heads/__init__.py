from .association_head import AssociationHead
from .differentiable_slic_head import DifferentiableSLICHead
from .dino_head import DINOHead
from .kmeans_head import KMeansHead
from .neuralef_head import NeuralEFHead
from .superpixel_pooling_head import SuperpixelPoolingHead

__all__ = [
    'AssociationHead', 'DifferentiableSLICHead', 'DINOHead', 'KMeansHead', 'NeuralEFHead',
    'SuperpixelPoolingHead'
]
