"""Learned grid superpixel networks (SCN, AINet, ...) behind the
superpixel-method interface."""
import os.path as osp
from typing import Optional, Tuple

import numpy as np
import torch

from mmsuperpix.registry import TASK_UTILS
from .base import SuperpixelMethod
from .model_loading import init_superpixel_model


@TASK_UTILS.register_module()
class LearnedSuperpixels(SuperpixelMethod):
    """A frozen superpixel network: a ``SuperpixelSegmentor`` config and
    checkpoint (the shipped default AINet when both are None), run with its
    prediction protocol (:mod:`~mmsuperpix.superpixels.protocol`).

    The network is built at the first call, so building a config that
    names this method loads no weights; it is deliberately not an
    ``nn.Module``, so its weights stay out of any model that uses it (its
    state dict, optimiser and ``init_weights``). The batched path moves it to
    the inputs' device and also returns the soft association.

    Built by name as well: ``build_superpixel_method('default')``.

    Args:
        config (str, optional): Superpixel model config; None = the shipped
            default (``mmsuperpix/model_zoo``).
        checkpoint (str, optional): Its weights; None with ``config`` None
            = the shipped weights.
        precision (str, optional): Inference precision (see
            :func:`~mmsuperpix.superpixels.init_superpixel_model`); None
            keeps the config's.
        connectivity (bool, optional): Enforce 4-connected superpixels;
            None keeps the config's ``test_cfg`` (True by default).
        device (str): Device of the single-image path. Defaults to ``cpu``.
        allow_unsafe_checkpoint (bool, optional): See
            :func:`~mmsuperpix.superpixels.init_superpixel_model`.
    """
    has_association = True

    def __init__(self,
                 config: Optional[str] = None,
                 checkpoint: Optional[str] = None,
                 precision: Optional[str] = None,
                 connectivity: Optional[bool] = None,
                 device: str = 'cpu',
                 allow_unsafe_checkpoint: Optional[bool] = None) -> None:
        for path in (config, checkpoint):
            if path is not None and not osp.isfile(path):
                raise FileNotFoundError(
                    f'superpixel model file {path!r} does not exist')
        self.config, self.checkpoint = config, checkpoint
        self.precision, self.connectivity = precision, connectivity
        self.device = device
        self.allow_unsafe_checkpoint = allow_unsafe_checkpoint
        self._model = None

    @classmethod
    def from_model(cls, model: torch.nn.Module) -> 'LearnedSuperpixels':
        """Wrap a model from ``init_superpixel_model`` (no copy)."""
        method = cls(device=str(next(model.parameters()).device))
        method._model = model
        return method

    @property
    def model(self) -> torch.nn.Module:
        """The network, built (and its weights loaded) on first access."""
        if self._model is None:
            self._model = init_superpixel_model(
                self.config, self.checkpoint, self.device,
                precision=self.precision,
                allow_unsafe_checkpoint=self.allow_unsafe_checkpoint)
        return self._model

    def load(self) -> 'LearnedSuperpixels':
        """Build the network and load its weights now."""
        self.model
        return self

    @torch.no_grad()  # not inference_mode: callers edit the labels
    def _predict(self, bgr: torch.Tensor, n_segments: int
                 ) -> Tuple[torch.Tensor, torch.Tensor]:
        """``bgr (N, 3, H, W)`` in 0..255 -> labels and association."""
        model = self.model.to(bgr.device)
        images = model.data_preprocessor(dict(inputs=list(bgr)),
                                         False)['inputs']
        return model.predict_superpixel_batch(
            images, n_segments, connectivity=self.connectivity)

    def segment(self, image: np.ndarray, n_segments: int) -> np.ndarray:
        """Labels ``(H, W)`` int32 of a uint8 BGR image."""
        device = next(self.model.parameters()).device
        bgr = torch.from_numpy(image).permute(2, 0, 1)[None].to(device)
        labels, _ = self._predict(bgr, n_segments)
        return labels[0].to(torch.int32).cpu().numpy()

    def association_cell_size(self, height: int, width: int,
                              n_segments: int) -> int:
        """See :meth:`SuperpixelMethod.association_cell_size`."""
        return self.model.association_cell_size(height, width, n_segments)

    def segment_batch(self, rgb: torch.Tensor, n_segments: int
                      ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Labels ``(N, H, W)`` int64 and the association ``(N, 9, h, w)``
        float32 of ``rgb (N, 3, H, W)`` float images in 0..255."""
        labels, assoc = self._predict(rgb.flip(1), n_segments)
        return labels, assoc.float()

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(config={self.config!r}, '
                f'checkpoint={self.checkpoint!r})')
