"""CDS's inference network (Xu et al., AAAI 2024): RGB embedder, content
selective gate, superpixel decoder."""
from typing import Dict, Optional

import torch
from mmengine.model import BaseModule

from mmsuperpix.registry import MODELS
from ..utils.conv_blocks import scn_init_weights
from ..utils.content_selective_gate import ContentSelectiveGate


@MODELS.register_module()
class CDSEncoderDecoder(BaseModule):
    """The RGB branch of Content Disentangle Superpixel (CDS).

    ``embedder (CDSEmbedder) -> ContentSelectiveGate -> content ->
    CDSDecoder``; the association head (:class:`AssociationHead` with 32
    input channels, or the SSN clustering head) reads ``features``. In
    training, ``CDSSegmentor`` sends its auxiliary modality through its own
    embedder and this network's gate and decoder (:meth:`disentangle`), so
    an exported CDS model is this backbone alone: an ordinary grid
    superpixel network.

    Args:
        embedder (dict): The RGB embedder. Defaults to ``CDSEmbedder``.
        channels (int): Embedding channels. Defaults to 32.
        cell_size (int): Grid cell side. Defaults to 16.
        init_cfg (dict, optional): mmengine init config; by default SCN's
            init (kaiming-normal(a=0.1), zero bias), as CDS.

    Shapes:
        input ``(N, 3, H, W)``, ``H, W`` multiples of ``cell_size``;
        output dict with ``features`` (decoded, ``(N, C, H, W)``),
        ``embedding`` (the content ``(N, C, H, W)``) and ``style`` (the
        style vector ``(N, C)``).
    """

    def __init__(self,
                 embedder: dict = dict(type='CDSEmbedder'),
                 channels: int = 32,
                 cell_size: int = 16,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        self.embedder = MODELS.build(embedder)
        self.gate = ContentSelectiveGate(channels)
        self.decoder = MODELS.build(
            dict(type='CDSDecoder', channels=channels, cell_size=cell_size))
        self.stride = cell_size

    def init_weights(self) -> None:
        """SCN's initialisation unless an ``init_cfg`` is given."""
        if self.init_cfg is None:
            scn_init_weights(self)
        else:
            super().init_weights()

    def disentangle(self, embedding: torch.Tensor
                    ) -> Dict[str, torch.Tensor]:
        """Gate and decode an embedding ``(N, C, H, W)`` of any modality
        (the outputs of :meth:`forward`)."""
        content, style = self.gate(embedding)
        return dict(features=self.decoder(content), embedding=content,
                    style=style.mean((2, 3)))

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """See the class docs."""
        if x.shape[-2] % self.stride or x.shape[-1] % self.stride:
            raise ValueError(
                f'input size {tuple(x.shape[-2:])} must be a multiple of '
                f'{self.stride}; resize or pad the image first')
        return self.disentangle(self.embedder(x))
