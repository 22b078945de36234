from .semi_supervised_segmentor import SemiSupervisedSegmentor
from .superpixel_segmentor import SuperpixelSegmentor

__all__ = ['SemiSupervisedSegmentor', 'SuperpixelSegmentor']
