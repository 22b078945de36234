from . import transforms  # noqa: F401  (registers the transforms)
from .bsds500 import BSDS500Dataset, load_bsds_groundtruth
from .nyuv2_superpixel import NYUv2SuperpixelDataset
from .transforms import (LoadSuperpixelAnnotations, PackSuperpixelInputs,
                         PatchJitter)
from .voc_split import VOCSplitDataset

__all__ = [
    'BSDS500Dataset', 'LoadSuperpixelAnnotations', 'NYUv2SuperpixelDataset',
    'PackSuperpixelInputs', 'PatchJitter', 'VOCSplitDataset',
    'load_bsds_groundtruth'
]
