from .association_implantation import AssociationImplantation
from .auxiliary_estimator import AuxiliaryEstimator
from .content_selective_gate import ContentSelectiveGate
from .cutmix import cutmix, cutmix_boxes
from .grouped_conv_in_relu import GroupedConvInReLU
from .dual_batch_norm import (DualBatchNorm, auxiliary_bn, convert_to_dual_bn,
                              strip_auxiliary_bn)
from .local_context_attention import LocalContextAttention
from .superpixel_batch import SuperpixelBatch

__all__ = [
    'AssociationImplantation', 'AuxiliaryEstimator', 'ContentSelectiveGate',
    'DualBatchNorm', 'GroupedConvInReLU',
    'LocalContextAttention', 'SuperpixelBatch', 'auxiliary_bn',
    'convert_to_dual_bn', 'cutmix', 'cutmix_boxes', 'strip_auxiliary_bn'
]
