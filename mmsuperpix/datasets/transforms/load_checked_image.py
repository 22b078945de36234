"""mmcv's ``LoadImageFromFile`` that refuses damaged JPEGs."""
import mmengine.fileio as fileio
from mmcv.transforms import LoadImageFromFile

from mmsuperpix.registry import TRANSFORMS
from mmsuperpix.utils.image_io import JPEG_SOI, jpeg_damage


@TRANSFORMS.register_module()
class LoadCheckedImageFromFile(LoadImageFromFile):
    """Load an image like mmcv's ``LoadImageFromFile``, but stop with the
    file's name when it is a damaged (e.g. truncated) JPEG.

    libjpeg decodes a truncated JPEG with only a warning (the missing rows
    grey), so ``LoadImageFromFile`` trains and evaluates on it silently.
    This transform checks the bytes first
    (:func:`~mmsuperpix.utils.image_io.jpeg_damage`), then decodes them
    exactly as ``LoadImageFromFile`` does (same arguments).

    Required Keys:

    - img_path

    Added Keys:

    - img
    - img_shape
    - ori_shape
    """

    def transform(self, results: dict) -> dict:
        filename = results['img_path']
        data = fileio.get(filename, backend_args=self.backend_args)
        if data.startswith(JPEG_SOI):
            damage = jpeg_damage(data)
            if damage is not None:
                raise ValueError(
                    f'{filename!r} is a damaged JPEG: {damage}. Re-download '
                    'or re-export the file, or remove it from the dataset')
        return super().transform(results)
