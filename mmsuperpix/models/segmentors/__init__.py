from .superpixel_segmentor import SuperpixelSegmentor

__all__ = ['SuperpixelSegmentor']
