"""Build any superpixel method from a name, a config or an instance."""
import os.path as osp
from typing import Optional, Union

from mmengine.config import Config

from mmsuperpix.registry import TASK_UTILS
from .base import SuperpixelMethod
from .classic import ClassicSuperpixels
from .classic_algorithms import CLASSIC_METHODS
from .learned import LearnedSuperpixels
from .model_loading import AINET_CHECKPOINT, AINET_CONFIG, MODEL_ZOO

#: The learned model shipped with the package (``init_superpixel_model()``).
DEFAULT_METHOD = 'default'
#: The other shipped learned models, by name: (config, checkpoint).
SHIPPED_MODELS = {'ainet': (AINET_CONFIG, AINET_CHECKPOINT)}
#: Per-image optimisers by name: their method configs.
PER_IMAGE_METHODS = {
    'eliasof': osp.join(MODEL_ZOO, 'eliasof_icip2022.py'),
    'rim': osp.join(MODEL_ZOO, 'rim_icassp2020.py')
}
#: Every name :func:`build_superpixel_method` accepts.
METHOD_NAMES = (DEFAULT_METHOD, *SHIPPED_MODELS, *PER_IMAGE_METHODS,
                *CLASSIC_METHODS)

MethodSpec = Union[str, dict, SuperpixelMethod]


def build_superpixel_method(spec: MethodSpec) -> SuperpixelMethod:
    """A :class:`SuperpixelMethod` from

    - an instance (returned as is);
    - a name: ``'default'`` (the shipped default model: SSN's head on
      SCN), ``'ainet'`` (the shipped AINet), a per-image optimiser
      (``'eliasof'``, ``'rim'``) or a classic algorithm (``'opencv_slic'``,
      ``'opencv_slico'``, ``'opencv_lsc'``, ``'opencv_seeds'``,
      ``'skimage_slic'``, ``'skimage_felzenszwalb'``);
    - a config file (see :func:`method_from_config`);
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
        if spec in PER_IMAGE_METHODS:
            return method_from_config(PER_IMAGE_METHODS[spec])
        if spec.endswith('.py') and osp.isfile(spec):
            return method_from_config(spec)
        raise ValueError(
            f'unknown superpixel method {spec!r}; use one of '
            f'{list(METHOD_NAMES)} or a config such as dict(type='
            "'LearnedSuperpixels', config='my_config.py', checkpoint="
            "'my_weights.pth')")
    return _build_from_dict(spec)


def method_from_config(config: Union[str, Config],
                       checkpoint: Optional[str] = None,
                       cfg_options: Optional[dict] = None,
                       **kwargs) -> SuperpixelMethod:
    """A method from a config file: one with a ``superpixel_method`` dict
    (a per-image optimiser, any registered method) or a superpixel
    network's config with a ``model`` (then
    ``LearnedSuperpixels(config, checkpoint, **kwargs)``).

    Args:
        config (str | Config): The file or a loaded config.
        checkpoint (str, optional): Weights of a network config.
        cfg_options (dict, optional): Overrides merged into the config
            (``--cfg-options`` of the tools), e.g.
            ``{'superpixel_method.num_iters': 100}``.
        **kwargs: Extra ``LearnedSuperpixels`` arguments (``device``, ...).
    """
    path = config if isinstance(config, str) else config.filename
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if 'superpixel_method' in cfg:
        if checkpoint is not None:
            raise ValueError(f'{path} defines a superpixel_method, which '
                             'takes no checkpoint')
        return _build_from_dict(cfg.superpixel_method.to_dict())
    if 'model' in cfg:
        if cfg_options:
            raise ValueError('cfg_options apply to superpixel_method '
                             f'configs; {path} is a network config')
        return LearnedSuperpixels(path, checkpoint, **kwargs)
    raise ValueError(f'{path} has neither a superpixel_method nor a model; '
                     'see mmsuperpix/model_zoo for examples')


def _build_from_dict(spec) -> SuperpixelMethod:
    if isinstance(spec, dict) and 'type' in spec:
        method = TASK_UTILS.build(dict(spec))
        if not isinstance(method, SuperpixelMethod):
            raise TypeError(f'{spec["type"]!r} is not a superpixel method '
                            f'(got {type(method).__name__})')
        return method
    raise TypeError(f'a superpixel method is a name, a dict with a type or '
                    f'a SuperpixelMethod, got {spec!r}')
