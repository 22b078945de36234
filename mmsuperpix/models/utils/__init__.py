from .association_implantation import AssociationImplantation
from .auxiliary_estimator import AuxiliaryEstimator
from .content_selective_gate import ContentSelectiveGate
from .cutmix import cutmix, cutmix_boxes
from .dense_crf import DenseCRF
from .grouped_conv_in_relu import GroupedConvInReLU
from .ema import ema_update_
from .dual_batch_norm import (DualBatchNorm, auxiliary_bn, convert_to_dual_bn,
                              strip_auxiliary_bn)
from .linear_self_attention import LinearSelfAttention
from .local_context_attention import LocalContextAttention
from .superpixel_batch import SuperpixelBatch

__all__ = [
    'AssociationImplantation', 'AuxiliaryEstimator', 'ContentSelectiveGate',
    'DenseCRF', 'DualBatchNorm', 'GroupedConvInReLU', 'LinearSelfAttention',
    'LocalContextAttention', 'SuperpixelBatch', 'auxiliary_bn',
    'convert_to_dual_bn', 'cutmix', 'cutmix_boxes', 'ema_update_',
    'strip_auxiliary_bn'
]
