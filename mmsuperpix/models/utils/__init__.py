from .association_implantation import AssociationImplantation
from .auxiliary_estimator import AuxiliaryEstimator
from .cutmix import cutmix, cutmix_boxes
from .dual_batch_norm import (DualBatchNorm, auxiliary_bn, convert_to_dual_bn,
                              strip_auxiliary_bn)
from .frozen_superpixel_model import FrozenSuperpixelModel
from .local_context_attention import LocalContextAttention
from .superpixel_batch import SuperpixelBatch
from .superpixel_protocol import (grid_shape, predict_superpixel_batch,
                                  predict_superpixels)

__all__ = [
    'AssociationImplantation', 'AuxiliaryEstimator', 'DualBatchNorm', 'FrozenSuperpixelModel',
    'LocalContextAttention', 'SuperpixelBatch',
    'auxiliary_bn', 'convert_to_dual_bn', 'cutmix', 'cutmix_boxes',
    'grid_shape', 'predict_superpixel_batch', 'predict_superpixels', 'strip_auxiliary_bn'
]
