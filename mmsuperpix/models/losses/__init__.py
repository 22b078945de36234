from .boundary_perceiving_loss import BoundaryPerceivingLoss
from .superpixel_reconstruction_loss import SuperpixelReconstructionLoss

__all__ = ['BoundaryPerceivingLoss', 'SuperpixelReconstructionLoss']
