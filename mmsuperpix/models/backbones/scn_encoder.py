"""SCN's encoder alone, as a multi-level backbone for other tasks."""
from typing import Sequence, Tuple

import torch

from mmsuperpix.registry import MODELS
from .scn_encoder_decoder import SCNEncoderDecoder


@MODELS.register_module()
class SCNEncoder(SCNEncoderDecoder):
    """The encoder levels of :class:`SCNEncoderDecoder` as a backbone: level
    ``i`` is at ``1 / 2**i`` resolution with ``channels[i]`` channels
    (16, 32, 64, 128, 256 at 1, 1/2, 1/4, 1/8, 1/16).

    It keeps the decoder's modules, unused, so that a trained superpixel
    model's backbone weights load as they are (``init_cfg=dict(type=
    'Pretrained', checkpoint=..., prefix='backbone.')``); NeuralEF's demo
    uses the shipped default model's, trained for superpixels on BSDS500,
    as a frozen feature extractor never trained with the demo's labels.

    Args:
        out_indices (Sequence[int]): Levels returned. Defaults to (3, 4).
        **kwargs: :class:`SCNEncoderDecoder` arguments.

    Shapes:
        ``(N, 3, H, W)``, ``H, W`` multiples of 16 -> a tuple of
        ``(N, channels[i], H / 2**i, W / 2**i)``.
    """

    def __init__(self, out_indices: Sequence[int] = (3, 4),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if not out_indices or any(not 0 <= i < len(self.encoder)
                                  for i in out_indices):
            raise ValueError(f'out_indices must be levels 0..'
                             f'{len(self.encoder) - 1}, got {out_indices}')
        self.out_indices = tuple(out_indices)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        if x.shape[-2] % self.stride or x.shape[-1] % self.stride:
            raise ValueError(
                f'input size {tuple(x.shape[-2:])} must be a multiple of '
                f'{self.stride}; resize or pad the image first')
        outs = []
        for i, level in enumerate(self.encoder[:max(self.out_indices) + 1]):
            x = level(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
