"""DINO's projection head (Caron et al., ICCV 2021)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class DINOHead(BaseModule):
    """MLP, L2 normalisation, weight-normalised linear layer to ``out_dim``
    prototypes (written from the paper and its appendix).

    ``x (N, in_channels) -> (N, out_dim)`` logits: ``num_layers`` linear
    layers (GELU between them, ``hidden_channels`` wide, the last
    ``bottleneck_channels``), the result L2-normalised, then a linear layer
    without bias whose weight is ``g * v / ||v||`` per output row. With
    ``norm_last_layer`` the length ``g`` is fixed at 1 (the paper's choice
    for stability with ViTs), else learned. Linear weights start
    truncated-normal (std 0.02), biases 0.

    Args:
        in_channels (int): Width of the backbone's pooled feature.
        out_dim (int): Number of prototypes. Defaults to 65536.
        hidden_channels (int): Defaults to 2048.
        bottleneck_channels (int): Defaults to 256.
        num_layers (int): Linear layers before the normalisation (>= 1).
            Defaults to 3.
        norm_last_layer (bool): Fix the last layer's row lengths at 1.
            Defaults to True.

    While ``last_layer_frozen`` is set (DINO: the first epoch), the last
    layer's gradients are zero.
    """

    def __init__(self,
                 in_channels: int,
                 out_dim: int = 65536,
                 hidden_channels: int = 2048,
                 bottleneck_channels: int = 256,
                 num_layers: int = 3,
                 norm_last_layer: bool = True,
                 init_cfg=None) -> None:
        super().__init__(init_cfg)
        if num_layers < 1:
            raise ValueError(f'num_layers must be >= 1, got {num_layers}')
        widths = [in_channels] + [hidden_channels] * (num_layers - 1) + [
            bottleneck_channels]
        layers = []
        for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
            layers.append(nn.Linear(a, b))
            if i < num_layers - 1:
                layers.append(nn.GELU())
        self.mlp = nn.Sequential(*layers)
        self.last_layer_v = nn.Parameter(
            torch.empty(out_dim, bottleneck_channels))
        self.last_layer_g = nn.Parameter(torch.ones(out_dim, 1),
                                         requires_grad=not norm_last_layer)
        self.norm_last_layer = norm_last_layer
        self.last_layer_frozen = False
        # zeroed rather than detached gradients: DDP expects every gradient
        for weight in (self.last_layer_v, self.last_layer_g):
            if weight.requires_grad:
                weight.register_hook(self._gradient_mask)
        for module in self.mlp:
            if isinstance(module, nn.Linear):
                nn.init.trunc_normal_(module.weight, std=0.02)
                nn.init.zeros_(module.bias)
        nn.init.trunc_normal_(self.last_layer_v, std=0.02)

    def _gradient_mask(self, grad: torch.Tensor) -> torch.Tensor:
        return torch.zeros_like(grad) if self.last_layer_frozen else grad

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, in_channels) -> (N, out_dim)``."""
        x = F.normalize(self.mlp(x), dim=-1)
        weight = F.normalize(self.last_layer_v, dim=1) * self.last_layer_g
        return F.linear(x, weight)
