"""mmsuperpix: learned superpixels and label-efficient segmentation for mmseg.

``import mmsuperpix`` registers every component into mmseg's registries and
installs the checkpoint-loading fix for torch >= 2.6 (see ``utils/compat``).
"""
from . import (datasets, engine, evaluation, models, ops, utils,  # noqa: F401
               visualization)
from .version import __version__

__all__ = ['__version__']
