"""The registries mmsuperpix registers into.

mmsuperpix registers its components into MMSegmentation's own registries
(the "register into the host" pattern of OpenMMLab projects), so any mmseg
config that lists ``custom_imports = dict(imports=['mmsuperpix'])`` can use
them by bare name, even inside model subtrees inherited with ``mmseg::``.
This file is the single switch point should mmsuperpix ever move to child
registries of its own.
"""
from mmseg.registry import (  # noqa: F401
    DATASETS,
    DATA_SAMPLERS,
    EVALUATOR,
    HOOKS,
    INFERENCERS,
    LOG_PROCESSORS,
    LOOPS,
    METRICS,
    MODELS,
    MODEL_WRAPPERS,
    OPTIMIZERS,
    OPTIM_WRAPPERS,
    OPTIM_WRAPPER_CONSTRUCTORS,
    PARAM_SCHEDULERS,
    RUNNERS,
    RUNNER_CONSTRUCTORS,
    TASK_UTILS,
    TRANSFORMS,
    VISBACKENDS,
    VISUALIZERS,
    WEIGHT_INITIALIZERS,
)

__all__ = [
    'DATASETS',
    'DATA_SAMPLERS',
    'EVALUATOR',
    'HOOKS',
    'INFERENCERS',
    'LOG_PROCESSORS',
    'LOOPS',
    'METRICS',
    'MODELS',
    'MODEL_WRAPPERS',
    'OPTIMIZERS',
    'OPTIM_WRAPPERS',
    'OPTIM_WRAPPER_CONSTRUCTORS',
    'PARAM_SCHEDULERS',
    'RUNNERS',
    'RUNNER_CONSTRUCTORS',
    'TASK_UTILS',
    'TRANSFORMS',
    'VISBACKENDS',
    'VISUALIZERS',
    'WEIGHT_INITIALIZERS',
]
