"""Multi-head linear ("efficient") self-attention, the attention of
NeuralEF segmentation's psi network."""
import torch
import torch.nn as nn


class LinearSelfAttention(nn.Module):
    """Self-attention in time and memory linear in the tokens (Shen et al.,
    "Efficient Attention: Attention with Linear Complexities", WACV 2021).

    Per head, queries are softmaxed over their features and keys over the
    tokens; ``out = softmax_d(Q) (softmax_n(K)^T V)`` is a ``d x d``
    context applied to every query, never an ``N x N`` map. The heads are
    concatenated and projected back to ``dim``.

    Args:
        dim (int): Token width.
        num_heads (int): Defaults to 8.
        head_dim (int): Defaults to 64.

    Shapes:
        ``(B, N, dim)`` -> ``(B, N, dim)``.
    """

    def __init__(self, dim: int, num_heads: int = 8,
                 head_dim: int = 64) -> None:
        super().__init__()
        self.num_heads, self.head_dim = num_heads, head_dim
        self.to_qkv = nn.Linear(dim, 3 * num_heads * head_dim, bias=False)
        self.to_out = nn.Linear(num_heads * head_dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, _ = x.shape
        q, k, v = self.to_qkv(x).view(batch, tokens, 3, self.num_heads,
                                      self.head_dim).unbind(2)
        q = q.softmax(-1) * self.head_dim**-0.5  # (B, N, h, d)
        k = k.softmax(1)  # over the tokens
        context = torch.einsum('bnhd,bnhe->bhde', k, v)
        out = torch.einsum('bnhd,bhde->bnhe', q, context)
        return self.to_out(out.reshape(batch, tokens, -1))
