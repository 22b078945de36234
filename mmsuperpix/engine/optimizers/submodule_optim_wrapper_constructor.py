"""Build the optimiser over one submodule of the model (a student)."""
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapper

from mmsuperpix.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class SubmoduleOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """mmengine's default constructor (``paramwise_cfg`` included) applied
    to ``model.<submodule>`` only.

    A momentum teacher (DINO's) has no gradients and is never stepped; the
    default constructor would list each of its parameters with a warning.
    Parameter names in ``paramwise_cfg['custom_keys']`` are relative to the
    submodule. Set it in the config as
    ``optim_wrapper = dict(constructor='SubmoduleOptimWrapperConstructor',
    submodule='student', ...)``.

    Args:
        optim_wrapper_cfg (dict): The ``optim_wrapper`` config; its
            ``submodule`` key (default ``'student'``) names the submodule.
        paramwise_cfg (dict, optional): As the default constructor's.
    """
    #: keys of the ``optim_wrapper`` config this constructor reads itself
    config_keys = ('submodule', )

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None) -> None:
        optim_wrapper_cfg = dict(optim_wrapper_cfg)
        self.submodule = optim_wrapper_cfg.pop('submodule', 'student')
        super().__init__(optim_wrapper_cfg, paramwise_cfg)

    def __call__(self, model) -> OptimWrapper:
        """The optimiser wrapper over ``model.<submodule>``'s parameters."""
        model = getattr(model, 'module', model)  # unwrap DDP
        if not hasattr(model, self.submodule):
            raise AttributeError(
                f'SubmoduleOptimWrapperConstructor: {type(model).__name__} '
                f'has no submodule {self.submodule!r}; set '
                'optim_wrapper.submodule to one of its children: '
                f'{[name for name, _ in model.named_children()]}')
        return super().__call__(getattr(model, self.submodule))
