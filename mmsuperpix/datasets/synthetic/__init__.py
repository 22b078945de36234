from .demo_voc import make_demo_voc, save_index_png, voc_palette
from .scene import DEMO_CLASSES, render_scene

__all__ = [
    'DEMO_CLASSES', 'make_demo_voc', 'render_scene', 'save_index_png',
    'voc_palette'
]
