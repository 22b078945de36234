"""Superpixel pooling around any mmseg decode head."""
from contextlib import contextmanager
from typing import Iterator, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmseg.models.utils import resize
from mmseg.utils import ConfigType, OptMultiConfig, SampleList
from torch import Tensor

from mmsuperpix.ops import (pool_by_association, superpixel_mean,
                            unpool_by_association)
from mmsuperpix.registry import MODELS
from ..utils.superpixel_batch import SuperpixelBatch, resize_nearest

POOL_TARGETS = ('features', 'logits', 'both')
MODES = ('hard', 'soft')
RESOLUTIONS = ('feature', 'input')


def _choice(name: str, value: str, choices: Tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f'{name} must be one of {choices}, got {value!r}')
    return value


@MODELS.register_module()
class SuperpixelPoolingHead(BaseModule):
    """Pool the features and/or logits of any mmseg decode head per
    superpixel, then broadcast them back to the pixels.

    - ``mode='hard'``: the mean over the pixels of each superpixel of an
      exact label map (:func:`superpixel_mean`), the labels resized with
      nearest interpolation to the pooling resolution; pixels labelled -1
      (padding) keep their values.
    - ``mode='soft'``: SCN-style pooling with a 9-neighbour association
      ``Q (N, 9, h, w)`` of a superpixel model: cell features are
      association-weighted means, each pixel the association-weighted sum
      of its 9 cells (renormalised over the cells inside the grid). The map
      is resized to ``(h, w)`` and back.

    What is pooled (``pool``):

    - ``'features'``: the features entering the head's ``conv_seg`` (after
      its dropout), so the classifier sees one vector per superpixel;
    - ``'logits'``: the head's output logits;
    - ``'both'``: both, each as a learned residual blend
      ``x + sigmoid(g) * (pool(x) - x)`` with one gate per channel /
      class, initialised at 0.5.

    ``feature_resolution`` / ``logit_resolution`` choose where each pooling
    happens: ``'feature'`` = the tensor's own stride, ``'input'`` = upsampled
    (bilinear) to the input size first, so superpixel boundaries become
    pixel-exact prediction boundaries (the output is then at input size).

    The superpixels come from the data samples' metainfo, as
    ``SuperpixelDataPreProcessor`` leaves them (from a pipeline transform,
    files or a frozen superpixel model); loss and prediction work like any
    mmseg head inside ``EncoderDecoder``. Code that calls ``forward`` or
    ``cls_seg`` itself wraps the call in :meth:`use_superpixels`.

    Args:
        head (dict): Config of the wrapped decode head (e.g.
            ``DepthwiseSeparableASPPHead``, ``FCNHead``, ``SegformerHead``).
        pool (str): ``'features'``, ``'logits'`` or ``'both'``. Defaults to
            ``'logits'``.
        mode (str): ``'hard'`` or ``'soft'``. Defaults to ``'hard'``.
        feature_resolution (str): ``'feature'`` or ``'input'``. Defaults to
            ``'feature'``.
        logit_resolution (str): ``'feature'`` or ``'input'``. Defaults to
            ``'input'``.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 head: ConfigType,
                 pool: str = 'logits',
                 mode: str = 'hard',
                 feature_resolution: str = 'feature',
                 logit_resolution: str = 'input',
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.head = MODELS.build(head)
        if not isinstance(getattr(self.head, 'conv_seg', None), nn.Module):
            raise TypeError(
                f'{type(self.head).__name__} is not an mmseg decode head '
                '(it has no conv_seg classifier)')
        self.pool = _choice('pool', pool, POOL_TARGETS)
        self.mode = _choice('mode', mode, MODES)
        self.feature_resolution = _choice('feature_resolution',
                                          feature_resolution, RESOLUTIONS)
        self.logit_resolution = _choice('logit_resolution', logit_resolution,
                                        RESOLUTIONS)
        blend = pool == 'both'
        self.feature_gate = nn.Parameter(torch.zeros(
            self.head.conv_seg.in_channels)) if blend else None
        self.logit_gate = nn.Parameter(torch.zeros(
            self.head.out_channels)) if blend else None
        self._superpixels: Optional[SuperpixelBatch] = None

    # --- what EncoderDecoder and the training code read from a head -----
    @property
    def num_classes(self) -> int:
        return self.head.num_classes

    @property
    def out_channels(self) -> int:
        return self.head.out_channels

    @property
    def align_corners(self) -> bool:
        return self.head.align_corners

    @property
    def threshold(self) -> Optional[float]:
        return getattr(self.head, 'threshold', None)

    @property
    def ignore_index(self) -> int:
        return self.head.ignore_index

    def loss_by_feat(self, seg_logits: Tensor,
                     batch_data_samples: SampleList) -> dict:
        """The wrapped head's losses of ``(N, K, h, w)`` logits."""
        return self.head.loss_by_feat(seg_logits, batch_data_samples)

    def predict_by_feat(self, seg_logits: Tensor,
                        batch_img_metas: List[dict]) -> Tensor:
        """The wrapped head's resizing of the logits to the input."""
        return self.head.predict_by_feat(seg_logits, batch_img_metas)

    # --- superpixels ----------------------------------------------------
    @contextmanager
    def use_superpixels(self, superpixels: SuperpixelBatch) -> Iterator:
        """Pool with ``superpixels`` in the ``forward`` / ``cls_seg`` calls
        made inside the context."""
        previous, self._superpixels = self._superpixels, superpixels
        handle = self.head.conv_seg.register_forward_pre_hook(
            self._pool_classifier_input) if self.pool != 'logits' else None
        try:
            yield
        finally:
            self._superpixels = previous
            if handle is not None:
                handle.remove()

    def superpixels_from_metas(self, metas: List[dict],
                               device: torch.device) -> SuperpixelBatch:
        """The superpixels this head needs, stacked from the metainfo."""
        return SuperpixelBatch.from_metas(metas, True, self.mode == 'soft',
                                          device)

    def _pool_classifier_input(self, _, args: tuple) -> tuple:
        return (self._pool(args[0], self.feature_resolution,
                           self.feature_gate), ) + args[1:]

    def _pool(self, x: Tensor, resolution: str,
              gate: Optional[nn.Parameter]) -> Tensor:
        """Pool ``x (N, C, h, w)`` at ``resolution``."""
        sp = self._superpixels
        if sp is None:
            raise RuntimeError(
                'SuperpixelPoolingHead was called without superpixels: use '
                'it through loss()/predict() with SuperpixelDataPreProcessor,'
                ' or wrap the call in `with head.use_superpixels(batch)`')
        if len(sp) != x.shape[0]:
            raise ValueError(f'{len(sp)} superpixel maps for a batch of '
                             f'{x.shape[0]} images')
        size = x.shape[-2:] if resolution == 'feature' else \
            sp.labels.shape[-2:]
        x = self._resize(x, size)
        if self.mode == 'hard':
            labels = resize_nearest(sp.labels, size)
            pooled = superpixel_mean(x, labels)
        else:
            assoc = sp.association.to(x.dtype)
            y = self._resize(x, assoc.shape[-2:])
            if sp.cell_size is None:
                raise ValueError(
                    "mode='soft' needs the association's cell size: give "
                    'SuperpixelBatch(..., cell_size=S)')
            cells = pool_by_association(y, assoc, sp.cell_size)
            ones = cells.new_ones(cells.shape[0], 1, *cells.shape[-2:])
            back = unpool_by_association(torch.cat([cells, ones], 1), assoc,
                                         sp.cell_size)
            back = back[:, :-1] / back[:, -1:].clamp(min=1e-6)
            pooled = self._resize(back, size)
        if gate is None:
            return pooled
        return x + gate.sigmoid().view(1, -1, 1, 1) * (pooled - x)

    def _resize(self, x: Tensor, size) -> Tensor:
        if tuple(x.shape[-2:]) == tuple(size):
            return x
        return resize(x, size=tuple(size), mode='bilinear',
                      align_corners=self.align_corners)

    # --- forward ----------------------------------------------------------
    def _pool_logits(self, logits: Tensor) -> Tensor:
        if self.pool == 'features':
            return logits
        return self._pool(logits, self.logit_resolution, self.logit_gate)

    def forward(self, inputs) -> Tensor:
        """Logits ``(N, K, h, w)`` of the wrapped head with pooling (inside
        :meth:`use_superpixels`)."""
        if self._superpixels is None:
            self._pool(inputs[0], 'feature', None)  # raises the clear error
        return self._pool_logits(self.head(inputs))

    def cls_seg(self, feat: Tensor) -> Tensor:
        """The wrapped head's classifier on ``feat`` with pooling (inside
        :meth:`use_superpixels`), e.g. for perturbed features."""
        if self._superpixels is None:
            self._pool(feat, 'feature', None)
        return self._pool_logits(self.head.cls_seg(feat))

    @staticmethod
    def _check_size(sp: SuperpixelBatch, metas: List[dict],
                    predicting: bool) -> None:
        """The maps must cover the network input (its padded size)."""
        meta, hint = metas[0], ''
        if predicting and isinstance(meta.get('img_shape'), torch.Size):
            size, hint = meta['img_shape'], (
                ' Slide inference feeds crops whose superpixels are unknown:'
                " use test_cfg=dict(mode='whole').")
        else:
            size = (meta.get('pad_shape') or meta['img_shape'])[:2]
        if tuple(sp.labels.shape[-2:]) != tuple(size):
            raise ValueError(
                f'the superpixel maps are {tuple(sp.labels.shape[-2:])} but '
                f'the network input is {tuple(size)}.{hint}')

    def loss(self, inputs, batch_data_samples: SampleList,
             train_cfg: ConfigType) -> dict:
        """Pooled logits and the wrapped head's losses."""
        metas = [s.metainfo for s in batch_data_samples]
        sp = self.superpixels_from_metas(metas, inputs[0].device)
        self._check_size(sp, metas, False)
        with self.use_superpixels(sp):
            logits = self.forward(inputs)
        return self.loss_by_feat(logits, batch_data_samples)

    def predict(self, inputs, batch_img_metas: List[dict],
                test_cfg: ConfigType) -> Tensor:
        """Pooled logits resized to the input, like any mmseg head."""
        sp = self.superpixels_from_metas(batch_img_metas, inputs[0].device)
        self._check_size(sp, batch_img_metas, True)
        with self.use_superpixels(sp):
            logits = self.forward(inputs)
        return self.predict_by_feat(logits, batch_img_metas)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        """Accept a plain segmentor's head weights (no ``head.`` prefix)."""
        own = ('head.', 'feature_gate', 'logit_gate')
        for key in [k for k in state_dict if k.startswith(prefix)]:
            if not key[len(prefix):].startswith(own):
                state_dict[f'{prefix}head.{key[len(prefix):]}'] = \
                    state_dict.pop(key)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
