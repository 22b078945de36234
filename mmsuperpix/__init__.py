"""mmsuperpix: learned superpixels and label-efficient segmentation for mmseg.

``import mmsuperpix`` registers every component into mmseg's registries and
mmengine's safe loader for local checkpoints (``utils/checkpoint_loading``).
"""
from . import (apis, datasets, engine, evaluation, models, ops,  # noqa: F401
               superpixels, utils, visualization)
from .version import __version__

__all__ = ['__version__']
