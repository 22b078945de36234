from .boundary_perceiving_loss import BoundaryPerceivingLoss
from .local_grid_correlation_alignment_loss import \
    LocalGridCorrelationAlignmentLoss
from .superpixel_reconstruction_loss import SuperpixelReconstructionLoss

__all__ = [
    'BoundaryPerceivingLoss', 'LocalGridCorrelationAlignmentLoss',
    'SuperpixelReconstructionLoss'
]
