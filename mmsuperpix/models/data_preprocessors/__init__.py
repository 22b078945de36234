from .multi_branch_preprocessor import MultiBranchDataPreprocessor

__all__ = ['MultiBranchDataPreprocessor']
