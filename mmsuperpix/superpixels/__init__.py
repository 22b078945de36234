from .base import SuperpixelMethod, check_bgr_image
from .builder import (DEFAULT_METHOD, METHOD_NAMES, PER_IMAGE_METHODS,
                      MethodSpec, build_superpixel_method,
                      method_from_config)
from .classic import ClassicSuperpixels
from .classic_algorithms import CLASSIC_METHODS, seeds_grid_count
from .conventions import (ASSOCIATION_CELL_KEY, ASSOCIATION_KEY, KEY, LABELS_KEY, NO_SUPERPIXEL,
                          PAD_ID, check_n_segments, check_segment_request,
                          contiguous_labels, segment_count,
                          store_superpixels)
from .learned import LearnedSuperpixels
from .per_image import PerImageSuperpixels, standardised_inputs
from .model_loading import (AINET_CHECKPOINT, AINET_CONFIG,
                            DEFAULT_CHECKPOINT, DEFAULT_CONFIG,
                            init_superpixel_model)
from .protocol import (PRECISIONS, check_precision, cluster_cell_size,
                       cluster_superpixel_batch, connected_superpixels,
                       grid_shape, network_grid,
                       precision_context, predict_superpixel_batch,
                       upsample_labels)

__all__ = [
    'AINET_CHECKPOINT', 'AINET_CONFIG', 'ASSOCIATION_CELL_KEY',
    'ASSOCIATION_KEY', 'CLASSIC_METHODS',
    'ClassicSuperpixels', 'DEFAULT_CHECKPOINT', 'DEFAULT_CONFIG',
    'DEFAULT_METHOD', 'KEY',
    'LABELS_KEY', 'LearnedSuperpixels', 'METHOD_NAMES', 'MethodSpec',
    'NO_SUPERPIXEL', 'PAD_ID', 'PER_IMAGE_METHODS', 'PRECISIONS',
    'PerImageSuperpixels', 'SuperpixelMethod',
    'build_superpixel_method', 'check_bgr_image', 'check_n_segments',
    'check_precision', 'check_segment_request', 'cluster_cell_size',
    'cluster_superpixel_batch', 'connected_superpixels',
    'contiguous_labels',
    'grid_shape', 'init_superpixel_model', 'method_from_config',
    'network_grid',
    'precision_context', 'predict_superpixel_batch', 'seeds_grid_count',
    'segment_count', 'standardised_inputs', 'store_superpixels',
    'upsample_labels'
]
