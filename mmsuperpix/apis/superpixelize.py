"""Load a superpixel model and compute superpixels of any image."""
import os.path as osp
from typing import Optional, Union

import cv2
import numpy as np
import torch
from mmcv.cnn import fuse_conv_bn
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmsuperpix.registry import MODELS
from mmsuperpix.models.segmentors.superpixel_segmentor import \
    check_precision
from mmsuperpix.models.utils.superpixel_protocol import check_n_segments
from mmsuperpix.utils import load_local_checkpoint, load_state_dict_checked
from mmsuperpix.utils.image_io import read_image

MODEL_ZOO = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                     'model_zoo')
#: The shipped default model: AINet trained on BSDS500 train with mmsuperpix.
DEFAULT_CONFIG = osp.join(MODEL_ZOO, 'ainet_bsds500.py')
DEFAULT_CHECKPOINT = osp.join(MODEL_ZOO, 'ainet_bsds500.pth')


def init_superpixel_model(config: Optional[Union[str, Config]] = None,
                          checkpoint: Optional[str] = None,
                          device: str = 'cpu',
                          fuse: bool = True,
                          precision: Optional[str] = None,
                          allow_unsafe_checkpoint: Optional[bool] = None
                          ) -> torch.nn.Module:
    """Build a superpixel model for inference.

    Args:
        config (str | Config, optional): A config whose ``model`` is a
            ``SuperpixelSegmentor``. None: the shipped default AINet.
        checkpoint (str, optional): Weights to load. None with ``config``
            None: the shipped weights; None with a config: random weights.
        device (str): Torch device. Defaults to ``'cpu'``.
        fuse (bool): Fold BatchNorm into the preceding convolutions (same
            outputs, faster). Defaults to True.
        precision (str, optional): ``'float32'``, ``'bfloat16'`` (about
            twice as fast on CPUs with AVX512-BF16 or AMX; on BSDS500 val
            the metrics matched float32 to 1e-4) or ``'auto'`` (bfloat16
            where the CPU supports it natively). None keeps the config's
            ``test_cfg.precision`` (``'auto'`` for the shipped model).
        allow_unsafe_checkpoint (bool, optional): Unpickle the checkpoint
            fully (runs code from the file; only for files you trust that
            the safe loader refuses). None: the process-wide setting
            (``--allow-unsafe-checkpoint`` of the tools), off by default.

    Returns:
        nn.Module: The model in eval mode, with ``cfg`` attached.

    Raises:
        CheckpointError: The checkpoint is damaged, refused by the safe
            loader, or holds the weights of another model.
    """
    if config is None:
        config = DEFAULT_CONFIG
        checkpoint = checkpoint or DEFAULT_CHECKPOINT
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config {config!r} does not exist')
        config = Config.fromfile(config)
    if 'model' not in config:
        raise ValueError('the config has no `model` entry')
    init_default_scope(config.get('default_scope', 'mmseg'))
    model = MODELS.build(config.model)
    if not hasattr(model, 'predict_superpixels'):
        raise TypeError(
            f'{type(model).__name__} does not predict superpixels; use a '
            'config whose model is a SuperpixelSegmentor')
    if checkpoint is not None:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'checkpoint {checkpoint!r} does not exist' +
                (' (the shipped default weights are missing from this '
                 'installation; reinstall mmsuperpix or pass checkpoint=)'
                 if checkpoint == DEFAULT_CHECKPOINT else ''))
        weights = load_local_checkpoint(checkpoint, 'cpu',
                                        allow_unsafe_checkpoint)
        load_state_dict_checked(model, weights.get('state_dict', weights),
                                checkpoint)
    if precision is not None:
        check_precision(precision, 'precision')
        model.test_cfg['precision'] = precision
    model.cfg = config
    model.to(device).eval()
    if fuse:
        model = fuse_conv_bn(model)
    # keep the fused weights in the layout the inputs use
    return model.to(memory_format=model.memory_format)


def to_bgr_uint8(image: Union[str, np.ndarray]) -> np.ndarray:
    """Read or check an image and return it as ``(H, W, 3)`` uint8 BGR.

    Accepts a file path or an array: ``(H, W)`` / ``(H, W, 1)`` grayscale,
    ``(H, W, 3)`` BGR, ``(H, W, 4)`` BGRA (alpha dropped); uint8, or uint16
    (scaled to 8 bits), or floats in ``[0, 1]``. Files are read with
    :func:`~mmsuperpix.utils.image_io.read_image`: a damaged or truncated
    file raises a ValueError naming it.
    """
    if isinstance(image, str):
        image = read_image(image, cv2.IMREAD_UNCHANGED)
    if not isinstance(image, np.ndarray):
        raise TypeError(
            f'expected a path or a numpy array, got {type(image).__name__}')
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and
                                    image.shape[2] not in (3, 4)):
        raise ValueError(
            f'expected an (H, W), (H, W, 3) or (H, W, 4) image, got shape '
            f'{image.shape}')
    if image.size == 0:
        raise ValueError(f'the image is empty (shape {image.shape})')
    if image.dtype == np.uint16:
        image = (image // 257).astype(np.uint8)
    elif np.issubdtype(image.dtype, np.floating):
        if not np.isfinite(image).all() or image.min() < 0 or \
                image.max() > 1:
            raise ValueError(
                'float images must be finite and in [0, 1]; convert to '
                'uint8 BGR first')
        image = np.round(image * 255).astype(np.uint8)
    elif image.dtype != np.uint8:
        raise TypeError(f'unsupported image dtype {image.dtype}; use uint8')
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return np.ascontiguousarray(image[..., :3])
    return image


@torch.inference_mode()
def superpixelize(model: torch.nn.Module,
                  image: Union[str, np.ndarray],
                  n_segments: int = 600) -> np.ndarray:
    """Superpixels of one image with SCN's protocol.

    Args:
        model (nn.Module): From :func:`init_superpixel_model`.
        image (str | np.ndarray): Path, or array as :func:`to_bgr_uint8`
            accepts; any size.
        n_segments (int): Desired number of superpixels (the result is
            close, not exact). Capped at the number of pixels.

    Returns:
        np.ndarray: ``(H, W)`` int32 labels ``0..K-1``, each label one
        4-connected region.

    Raises:
        ValueError: ``n_segments`` is not a positive int, the image file is
            damaged, or the network input for ``n_segments`` (16x16 px per
            superpixel) would not fit in memory (checked before anything is
            allocated; the message gives the largest count that fits).
    """
    n_segments = check_n_segments(n_segments)
    bgr = to_bgr_uint8(image)
    height, width = bgr.shape[:2]
    device = next(model.parameters()).device
    tensor = torch.from_numpy(bgr).permute(2, 0, 1).to(device)
    inputs = model.data_preprocessor(dict(inputs=[tensor]), False)['inputs']
    labels = model.predict_superpixels(inputs, n_segments, (height, width))
    return labels.astype(np.int32)
