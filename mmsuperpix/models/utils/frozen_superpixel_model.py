"""A frozen superpixel model that labels normalised batches on the fly."""
import os.path as osp
from typing import Optional, Tuple

import torch

from .superpixel_protocol import (check_segment_request,
                                  predict_superpixel_batch, segment_count)


class FrozenSuperpixelModel:
    """Superpixels of a segmentation batch from a frozen superpixel model.

    Deliberately not an ``nn.Module``: its weights stay out of the
    segmentor's state dict, optimizer and ``init_weights``. It is built at
    the first call (so building a config does not load weights) and follows
    the inputs' device.

    Args:
        config (str, optional): Superpixel model config; None = the shipped
            AINet (``mmsuperpix/model_zoo``).
        checkpoint (str, optional): Its weights; None with ``config`` None
            = the shipped weights.
        n_segments (int, optional): Superpixels per image.
        segment_size (float, optional): Alternatively, the mean superpixel
            side in pixels: ``n_segments = H * W / segment_size ** 2`` of the
            batch input (so crops and whole test images get superpixels of
            the same size). Exactly one of the two is needed.
        connectivity (bool): Enforce 4-connected superpixels. Defaults to
            True.
        precision (str, optional): Inference precision (see
            ``init_superpixel_model``); None keeps the model's.
    """

    def __init__(self,
                 config: Optional[str] = None,
                 checkpoint: Optional[str] = None,
                 n_segments: Optional[int] = None,
                 segment_size: Optional[float] = None,
                 connectivity: bool = True,
                 precision: Optional[str] = None) -> None:
        check_segment_request(n_segments, segment_size)
        for path in (config, checkpoint):
            if path is not None and not osp.isfile(path):
                raise FileNotFoundError(
                    f'superpixel model file {path!r} does not exist')
        self.config, self.checkpoint = config, checkpoint
        self.n_segments, self.segment_size = n_segments, segment_size
        self.connectivity, self.precision = connectivity, precision
        self.model = None

    def _build(self, device: torch.device) -> torch.nn.Module:
        if self.model is None:
            from mmsuperpix.apis import init_superpixel_model
            self.model = init_superpixel_model(
                self.config, self.checkpoint, precision=self.precision)
        return self.model.to(device)

    @torch.no_grad()
    def __call__(self, rgb: torch.Tensor) -> Tuple[torch.Tensor,
                                                   torch.Tensor]:
        """Superpixels of ``rgb (N, 3, H, W)`` float images in 0..255.

        Returns:
            tuple: ``labels (N, H, W)`` int64 and the association
            ``(N, 9, h, w)`` float32.
        """
        model = self._build(rgb.device)
        pre = model.data_preprocessor
        if not pre.channel_conversion:  # the model expects BGR
            rgb = rgb.flip(1)
        images = (rgb - pre.mean) / pre.std
        height, width = images.shape[-2:]
        n_segments = segment_count(height, width, self.n_segments,
                                   self.segment_size)

        def network(x: torch.Tensor) -> torch.Tensor:
            return model.encode_decode(x, None)

        from ..segmentors.superpixel_segmentor import precision_context
        with precision_context(model.test_cfg['precision'],
                               images.device.type):
            labels, assoc = predict_superpixel_batch(
                network, images, n_segments, model.cell_size,
                connectivity=self.connectivity)
        return labels, assoc.float()
