from .formatting import PackSuperpixelInputs
from .loading import LoadSuperpixelAnnotations
from .patch_jitter import PatchJitter

__all__ = ['LoadSuperpixelAnnotations', 'PackSuperpixelInputs', 'PatchJitter']
