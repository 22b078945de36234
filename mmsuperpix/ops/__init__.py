from .connectivity import connectivity_sizes, enforce_connectivity
from .lab_colour import rgb_to_lab
from .kmeans import KMEANS_METRICS, kmeans
from .laplacian import laplacian_3x3
from .neuralef_kernel import (feature_knn_graph, neuralef_kernel,
                              normalise_adjacency, pixel_knn_graph)
from .soft_superpixel_image import soft_superpixel_image
from .superpixel_pool import (compact_superpixel_ids, superpixel_mean,
                             superpixel_pool, superpixel_unpool)
from .grid_association import (NEIGHBOURS, association_to_labels,
                               cell_blocks, check_association,
                               from_cell_blocks,
                               label_reconstruction_probability,
                               neighbour_cell_index, pool_by_association,
                               unpool_by_association)
from .grid_soft_kmeans import cell_samples, grid_soft_kmeans

__all__ = [
    'KMEANS_METRICS', 'kmeans',
    'NEIGHBOURS', 'association_to_labels', 'cell_blocks',
    'check_association', 'from_cell_blocks',
    'connectivity_sizes', 'enforce_connectivity', 'feature_knn_graph',
    'label_reconstruction_probability', 'laplacian_3x3',
    'neighbour_cell_index', 'neuralef_kernel', 'normalise_adjacency',
    'pixel_knn_graph',
    'cell_samples', 'grid_soft_kmeans',
    'pool_by_association', 'unpool_by_association', 'compact_superpixel_ids',
    'rgb_to_lab', 'soft_superpixel_image',
    'superpixel_mean', 'superpixel_pool', 'superpixel_unpool'
]
