from mmsuperpix.superpixels import (AINET_CHECKPOINT, AINET_CONFIG,
                                    DEFAULT_CHECKPOINT, DEFAULT_CONFIG,
                                    init_superpixel_model)
from .fit_kmeans_head import fit_kmeans_head
from .superpixelize import superpixelize, to_bgr_uint8

__all__ = [
    'AINET_CHECKPOINT', 'AINET_CONFIG', 'DEFAULT_CHECKPOINT',
    'DEFAULT_CONFIG', 'fit_kmeans_head', 'init_superpixel_model',
    'superpixelize', 'to_bgr_uint8'
]
