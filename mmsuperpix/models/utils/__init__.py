from .association_implantation import AssociationImplantation
from .local_context_attention import LocalContextAttention
from .superpixel_protocol import grid_shape, predict_superpixels

__all__ = [
    'AssociationImplantation', 'LocalContextAttention', 'grid_shape',
    'predict_superpixels'
]
