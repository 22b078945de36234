from .formatting import PackSuperpixelInputs
from .loading import LoadSuperpixelAnnotations
from .loading_unlabeled import LoadUnlabeledValidity
from .multi_branch import MultiBranch
from .patch_jitter import PatchJitter
from .random_relative_resize import RandomRelativeResize
from .strong_augment import StrongPhotometricAugment

__all__ = [
    'LoadSuperpixelAnnotations', 'LoadUnlabeledValidity', 'MultiBranch',
    'PackSuperpixelInputs', 'PatchJitter', 'RandomRelativeResize',
    'StrongPhotometricAugment'
]
