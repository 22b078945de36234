"""Read input images so that damaged files are reported, not half-decoded.

libjpeg decodes a truncated JPEG with only a warning on stderr (missing
rows become grey) and some OpenCV builds return that image, so the result
silently differs from the intact file's. :func:`read_image` checks the
encoded bytes first: a JPEG must have an end-of-image marker after the start
of its first scan, and every format must decode (OpenCV returns None for a
truncated PNG). Every place mmsuperpix reads an input image goes through it.
"""
from typing import Optional

import cv2
import numpy as np
from mmengine import fileio

JPEG_SOI = b'\xff\xd8\xff'
JPEG_EOI = b'\xff\xd9'
JPEG_SOS = 0xDA
#: Markers without a length field: TEM, RST0..7, SOI.
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD9)}


def jpeg_damage(data: bytes) -> Optional[str]:
    """Why the JPEG bytes ``data`` are damaged, or None if they look whole.

    Walks the marker segments from SOI to the first start-of-scan (SOS);
    entropy-coded data cannot contain ``FF D9`` except as the end-of-image
    (EOI) marker, so a whole file has one after that point. Bytes after the
    EOI (camera trailers) are allowed.
    """
    pos = 2
    while True:
        if pos + 4 > len(data):
            return ('it is truncated inside its header, before any image '
                    'data')
        if data[pos] != 0xFF:
            return f'its header is corrupt (no marker at byte {pos})'
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
        elif marker in JPEG_STANDALONE:
            pos += 2
        elif marker == 0xD9:
            return ('it has no image data (an end-of-image marker comes '
                    'before any scan)')
        elif marker == JPEG_SOS:
            break
        else:
            pos += 2 + int.from_bytes(data[pos + 2:pos + 4], 'big')
    if data.find(JPEG_EOI, pos + 2) < 0:
        return ('it is truncated: the end-of-image marker (FF D9) after its '
                'image data is missing')
    return None


def decode_image(data: bytes, name: str,
                 flag: int = cv2.IMREAD_COLOR) -> np.ndarray:
    """Decode an encoded image after checking that it is whole.

    Args:
        data (bytes): The file's bytes.
        name (str): The file name, for messages.
        flag (int): ``cv2.IMREAD_*`` flag. Defaults to ``IMREAD_COLOR``.

    Returns:
        np.ndarray: ``(H, W, C)`` or ``(H, W)`` as ``cv2.imdecode`` gives.

    Raises:
        ValueError: The bytes are a damaged/truncated JPEG, or OpenCV cannot
            decode them (not an image, corrupt or truncated).
    """
    if data.startswith(JPEG_SOI):
        damage = jpeg_damage(data)
        if damage is not None:
            raise ValueError(f'{name!r} is a damaged JPEG: {damage}. '
                             'Re-download or re-export the file, or remove '
                             'it')
    image = cv2.imdecode(np.frombuffer(data, np.uint8), flag)
    if image is None:
        raise ValueError(f'{name!r} is not an image OpenCV can read (not an '
                         'image, corrupt or truncated); replace or remove '
                         'it')
    return image


def read_image(path: str, flag: int = cv2.IMREAD_COLOR,
               backend_args: Optional[dict] = None) -> np.ndarray:
    """Read an image file (any mmengine file backend) with
    :func:`decode_image`'s checks.

    Args:
        path (str): File path or URI.
        flag (int): ``cv2.IMREAD_*`` flag. Defaults to ``IMREAD_COLOR``.
        backend_args (dict, optional): mmengine file backend arguments.

    Returns:
        np.ndarray: ``(H, W, C)`` or ``(H, W)`` as ``cv2.imdecode`` gives.

    Raises:
        FileNotFoundError: ``path`` is not a file.
        ValueError: The file is damaged or not an image.
    """
    try:
        data = fileio.get(path, backend_args=backend_args)
    except (FileNotFoundError, IsADirectoryError) as err:
        raise FileNotFoundError(
            f'image file {path!r} does not exist (or is a folder)') from err
    return decode_image(data, path, flag)
