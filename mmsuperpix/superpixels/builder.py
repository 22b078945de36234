"""Build any superpixel method from a name, a config or an instance."""
from typing import Union

from mmsuperpix.registry import TASK_UTILS
from .base import SuperpixelMethod
from .classic import ClassicSuperpixels
from .classic_algorithms import CLASSIC_METHODS
from .learned import LearnedSuperpixels
from .model_loading import AINET_CHECKPOINT, AINET_CONFIG

#: The learned model shipped with the package (``init_superpixel_model()``).
DEFAULT_METHOD = 'default'
#: The other shipped learned models, by name: (config, checkpoint).
SHIPPED_MODELS = {'ainet': (AINET_CONFIG, AINET_CHECKPOINT)}
#: Every name :func:`build_superpixel_method` accepts.
METHOD_NAMES = (DEFAULT_METHOD, *SHIPPED_MODELS, *CLASSIC_METHODS)

MethodSpec = Union[str, dict, SuperpixelMethod]


def build_superpixel_method(spec: MethodSpec) -> SuperpixelMethod:
    """A :class:`SuperpixelMethod` from

    - an instance (returned as is);
    - a name: ``'default'`` (the shipped default model: SSN's head on
      SCN), ``'ainet'`` (the shipped AINet) or a classic
      algorithm (``'opencv_slic'``, ``'opencv_slico'``, ``'opencv_lsc'``,
      ``'opencv_seeds'``, ``'skimage_slic'``, ``'skimage_felzenszwalb'``);
    - a config dict for mmseg's ``TASK_UTILS`` registry, e.g.
      ``dict(type='LearnedSuperpixels', config=..., checkpoint=...)`` or
      ``dict(type='ClassicSuperpixels', algorithm='opencv_lsc')``.
    """
    if isinstance(spec, SuperpixelMethod):
        return spec
    if isinstance(spec, str):
        if spec == DEFAULT_METHOD:
            return LearnedSuperpixels()
        if spec in SHIPPED_MODELS:
            return LearnedSuperpixels(*SHIPPED_MODELS[spec])
        if spec in CLASSIC_METHODS:
            return ClassicSuperpixels(spec)
        raise ValueError(
            f'unknown superpixel method {spec!r}; use one of '
            f'{list(METHOD_NAMES)} or a config such as dict(type='
            "'LearnedSuperpixels', config='my_config.py', checkpoint="
            "'my_weights.pth')")
    if isinstance(spec, dict) and 'type' in spec:
        method = TASK_UTILS.build(dict(spec))
        if not isinstance(method, SuperpixelMethod):
            raise TypeError(f'{spec["type"]!r} is not a superpixel method '
                            f'(got {type(method).__name__})')
        return method
    raise TypeError(f'a superpixel method is a name, a dict with a type or '
                    f'a SuperpixelMethod, got {spec!r}')
