from .formatting import PackSuperpixelInputs
from .generate_superpixels import GenerateSuperpixels
from .gradient_modality import GradientModality
from .load_checked_image import LoadCheckedImageFromFile
from .loading import LoadSuperpixelAnnotations
from .load_superpixels import LoadSuperpixels
from .loading_unlabeled import LoadUnlabeledValidity
from .multi_branch import MultiBranch
from .patch_jitter import PatchJitter
from .random_relative_resize import RandomRelativeResize
from .random_resized_crop import RandomResizedCrop
from .strong_augment import StrongPhotometricAugment

__all__ = [
    'GenerateSuperpixels', 'GradientModality', 'LoadCheckedImageFromFile',
    'LoadSuperpixels', 'LoadSuperpixelAnnotations', 'LoadUnlabeledValidity',
    'MultiBranch', 'PackSuperpixelInputs', 'PatchJitter', 'RandomRelativeResize',
    'RandomResizedCrop',
    'StrongPhotometricAugment'
]
