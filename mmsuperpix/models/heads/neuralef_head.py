"""NeuralEF's eigenfunction network as an mmseg decode head (Deng et al.,
"Learning Neural Eigenfunctions for Unsupervised Semantic Segmentation",
ICCV 2023)."""
import math
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize
from torch.nn.utils.parametrizations import orthogonal

from mmsuperpix.registry import MODELS
from ..utils import LinearSelfAttention


class _PreNormBlock(nn.Module):
    """``x + attn(LN(x))``, then ``x + FFN(LN(x))``."""

    def __init__(self, dim: int, num_heads: int, head_dim: int,
                 ffn_dim: int) -> None:
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = LinearSelfAttention(dim, num_heads, head_dim)
        self.ffn = nn.Sequential(nn.Linear(dim, ffn_dim), nn.GELU(),
                                 nn.Linear(ffn_dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.ffn(self.norm2(x))


@MODELS.register_module()
class NeuralEFHead(BaseDecodeHead):
    """The paper's psi: ``num_blocks`` pre-LN blocks of linear self-attention
    and feed-forward on the (concatenated) frozen backbone tokens, a final
    LayerNorm, and an orthogonally parametrised linear map to ``K =
    num_classes`` eigenfunctions.

    Training (:meth:`loss`, with the kernel from ``NeuralEFSegmentor``):
    the outputs become Gumbel-softmax samples at temperature :attr:`tau`
    (annealed by ``GumbelTemperatureHook``), divided by their L2 norm over
    the batch's tokens clamped at >= 1, and :class:`NeuralEFLoss` fits them
    to the kernel's top eigenfunctions. Test: ``logits / tau_min``; the
    argmax is the cluster id (``K`` clusters, named by ``ClusterIoUMetric``).

    An optional linear probe (``probe_classes``) learns the classes from the
    detached hidden tokens with the ground truth, as the public code's
    online head; no gradient of it reaches psi and it never predicts.

    Args:
        num_classes (int): ``K`` (paper: 256 for Pascal Context and
            Cityscapes, 512 for ADE20K).
        num_blocks (int): Defaults to 2.
        num_heads (int): Attention heads. Defaults to 18.
        head_dim (int): Defaults to 64.
        ffn_ratio (float): Feed-forward width over the token width.
            Defaults to 0.5 (576 for ViT-S's 1152).
        tau_max (float): Gumbel temperature at the start. Defaults to 1.0.
        tau_min (float): At the end, and the test scale. Defaults to 0.3.
        probe_classes (int, optional): Classes of the linear probe.
        orthogonal_map (str, optional): torch's ``orthogonal``
            parametrisation of the map to ``K``: None = torch's default
            (Householder for a non-square map, as the public code),
            ``'cayley'`` (4-5x faster on a 2-core CPU at 1152 x 256) or
            ``'matrix_exp'``.
        loss_decode (dict): The NeuralEF loss.
        **kwargs: ``BaseDecodeHead`` arguments (``in_channels``,
            ``in_index``, ``input_transform='resize_concat'`` for several
            backbone levels, ...).
    """

    def __init__(self,
                 num_classes: int,
                 num_blocks: int = 2,
                 num_heads: int = 18,
                 head_dim: int = 64,
                 ffn_ratio: float = 0.5,
                 tau_max: float = 1.0,
                 tau_min: float = 0.3,
                 probe_classes: Optional[int] = None,
                 orthogonal_map: Optional[str] = None,
                 loss_decode: dict = dict(type='NeuralEFLoss', beta=0.08),
                 **kwargs) -> None:
        in_channels = kwargs.get('in_channels', 0)
        kwargs.setdefault('channels', sum(in_channels) if isinstance(
            in_channels, (list, tuple)) else in_channels)
        super().__init__(num_classes=num_classes, loss_decode=loss_decode,
                         dropout_ratio=0, init_cfg=None, **kwargs)
        dim = self.in_channels
        del self.conv_seg  # psi's orthogonal map replaces it
        self.blocks = nn.Sequential(*(
            _PreNormBlock(dim, num_heads, head_dim,
                          max(1, int(dim * ffn_ratio)))
            for _ in range(num_blocks)))
        self.norm = nn.LayerNorm(dim)
        self.eigenfunctions = orthogonal(nn.Linear(dim, num_classes),
                                         orthogonal_map=orthogonal_map)
        self.probe = nn.Linear(dim, probe_classes) if probe_classes else None
        self.tau_max, self.tau_min = tau_max, tau_min
        self.tau = tau_max

    def init_weights(self) -> None:
        """Truncated-normal (std 0.02) linear layers, as the public code."""
        for module in self.modules():
            if isinstance(module, nn.Linear) and module is not \
                    self.eigenfunctions:
                nn.init.trunc_normal_(module.weight, std=0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)

    def embed(self, inputs: Sequence[torch.Tensor]
              ) -> Tuple[torch.Tensor, torch.Tensor, Tuple[int, int]]:
        """Hidden tokens ``(B, T, C)``, eigenfunction logits ``(B, T, K)``
        and the token grid ``(h, w)`` of the backbone outputs."""
        x = self._transform_inputs(inputs)  # (B, C, h, w)
        grid = tuple(x.shape[-2:])
        hidden = self.norm(self.blocks(x.flatten(2).transpose(1, 2)))
        return hidden, self.eigenfunctions(hidden), grid

    def token_grid(self, inputs: Sequence[torch.Tensor]) -> Tuple[int, int]:
        """``(h, w)`` of the tokens psi sees (its selected inputs after
        ``input_transform``; for ``resize_concat``, the first one's)."""
        index = self.in_index[0] if isinstance(self.in_index,
                                               (list, tuple)) else \
            self.in_index
        return tuple(inputs[index].shape[-2:])

    def forward(self, inputs: Sequence[torch.Tensor]) -> torch.Tensor:
        """Cluster logits ``(B, K, h, w)`` (``logits / tau_min``)."""
        _, logits, (height, width) = self.embed(inputs)
        logits = logits / self.tau_min
        return logits.transpose(1, 2).reshape(len(logits), -1, height, width)

    def loss(self, inputs: Sequence[torch.Tensor], batch_data_samples: list,
             train_cfg: dict, kernel: Optional[torch.Tensor] = None
             ) -> Dict[str, torch.Tensor]:
        """``loss_neuralef`` against ``kernel (B*h*w, B*h*w)`` (tokens in
        image, row, column order), plus ``loss_probe`` with a probe."""
        if kernel is None:
            raise ValueError('NeuralEFHead needs the graph kernel: use it in '
                             "a NeuralEFSegmentor (model type='"
                             "NeuralEFSegmentor')")
        hidden, logits, grid = self.embed(inputs)
        samples = F.gumbel_softmax(logits.flatten(0, 1), tau=self.tau,
                                   hard=False)  # (B*T, K)
        psi = samples / samples.norm(dim=0, keepdim=True).clamp_min(1.0)
        losses = dict(loss_neuralef=self.loss_decode(psi, kernel))
        if self.probe is not None:
            losses['loss_probe'] = self._probe_loss(hidden.detach(), grid,
                                                    batch_data_samples)
        return losses

    def _probe_loss(self, hidden: torch.Tensor, grid: Tuple[int, int],
                    batch_data_samples: list) -> torch.Tensor:
        logits = self.probe(hidden).transpose(1, 2).reshape(
            len(hidden), -1, *grid)
        labels = torch.stack([s.gt_sem_seg.data for s in batch_data_samples])
        logits = resize(logits, labels.shape[-2:], mode='bilinear',
                        align_corners=self.align_corners)
        return F.cross_entropy(logits, labels[:, 0].long(),
                               ignore_index=self.ignore_index)

    def anneal(self, progress: float) -> float:
        """Set :attr:`tau` by the cosine schedule at ``progress`` in
        ``[0, 1]`` (``tau_max`` to ``tau_min``) and return it."""
        progress = min(max(progress, 0.0), 1.0)
        self.tau = self.tau_min + 0.5 * (self.tau_max - self.tau_min) * (
            1 + math.cos(math.pi * progress))
        return self.tau
