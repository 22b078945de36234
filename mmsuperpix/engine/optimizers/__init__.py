from .submodule_optim_wrapper_constructor import \
    SubmoduleOptimWrapperConstructor

__all__ = ['SubmoduleOptimWrapperConstructor']
