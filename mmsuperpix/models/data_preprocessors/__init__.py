from .multi_branch_preprocessor import MultiBranchDataPreprocessor
from .superpixel_data_preprocessor import SuperpixelDataPreProcessor

__all__ = ['MultiBranchDataPreprocessor', 'SuperpixelDataPreProcessor']
