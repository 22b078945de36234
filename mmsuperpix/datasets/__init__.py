from .bsds500 import BSDS500Dataset, load_bsds_groundtruth
from .nyuv2_superpixel import NYUv2SuperpixelDataset
from .samplers import MultiSourceSampler
from .transforms import (LoadSuperpixelAnnotations, LoadUnlabeledValidity,
                         MultiBranch, PackSuperpixelInputs, PatchJitter,
                         RandomRelativeResize, StrongPhotometricAugment)
from .voc_split import VOCSplitDataset

__all__ = [
    'BSDS500Dataset', 'LoadSuperpixelAnnotations', 'LoadUnlabeledValidity',
    'MultiBranch', 'MultiSourceSampler', 'NYUv2SuperpixelDataset',
    'PackSuperpixelInputs', 'PatchJitter', 'RandomRelativeResize',
    'StrongPhotometricAugment', 'VOCSplitDataset', 'load_bsds_groundtruth'
]
