from .boundary_perceiving_loss import BoundaryPerceivingLoss
from .dino_loss import DINOLoss
from .edge_aware_smoothness_loss import EdgeAwareSmoothnessLoss
from .laplacian_edge_loss import LaplacianEdgeLoss
from .local_grid_correlation_alignment_loss import \
    LocalGridCorrelationAlignmentLoss
from .neuralef_loss import NeuralEFLoss
from .rim_clustering_loss import RIMClusteringLoss
from .superpixel_reconstruction_loss import SuperpixelReconstructionLoss
from .unsupervised_superpixel_loss import UnsupervisedSuperpixelLoss

__all__ = [
    'BoundaryPerceivingLoss', 'DINOLoss', 'EdgeAwareSmoothnessLoss', 'LaplacianEdgeLoss',
    'LocalGridCorrelationAlignmentLoss', 'NeuralEFLoss', 'RIMClusteringLoss',
    'SuperpixelReconstructionLoss', 'UnsupervisedSuperpixelLoss'
]
