"""The graph kernel of NeuralEF segmentation (Deng et al., ICCV 2023): a
feature kNN graph over every patch token of a mini-batch plus a pixel kNN
graph within each image, both symmetrically normalised."""
from typing import Sequence, Tuple

import torch


def normalise_adjacency(adjacency: torch.Tensor,
                        eps: float = 1e-12) -> torch.Tensor:
    """``D^-1/2 A D^-1/2`` with ``D`` the row sums (isolated nodes stay
    zero).

    Args:
        adjacency (Tensor): ``(..., M, M)`` symmetric, non-negative.

    Returns:
        Tensor: ``(..., M, M)``.
    """
    degree = adjacency.sum(-1)
    scale = degree.clamp_min(eps).rsqrt() * (degree > 0)
    return adjacency * scale[..., :, None] * scale[..., None, :]


def feature_knn_graph(features: torch.Tensor, k: int = 256) -> torch.Tensor:
    """Cosine-similarity kNN graph over all tokens of a mini-batch.

    Self-similarity is removed, negative similarities are clamped to 0,
    each row keeps its ``k`` largest similarities (their values), the result
    is symmetrised ``(A + A^T) / 2`` and normalised
    (:func:`normalise_adjacency`). Tokens of different images are connected
    (the paper's cross-image graph).

    Args:
        features (Tensor): ``(M, D)`` token features of every image of the
            batch, stacked.
        k (int): Neighbours per token (paper: 256), capped at ``M - 1``.

    Returns:
        Tensor: ``(M, M)`` float32.
    """
    features = torch.nn.functional.normalize(features.float(), dim=1)
    similarity = features @ features.T
    similarity.fill_diagonal_(float('-inf'))
    k = min(k, len(features) - 1)
    values, index = similarity.topk(k, dim=1)
    adjacency = torch.zeros_like(similarity).scatter_(
        1, index, values.clamp_min(0))
    return normalise_adjacency((adjacency + adjacency.T) / 2)


def pixel_knn_graph(colours: torch.Tensor,
                    settings: Sequence[Tuple[int, float]] = ((10, 2.0),
                                                             (5, 0.1))
                    ) -> torch.Tensor:
    """Euclidean kNN graph of the image downsampled to the patch grid, within
    each image.

    Each token is the vector ``[R, G, B, w * x, w * y]`` (colours in
    ``[0, 1]``, ``x`` and ``y`` the token's grid position scaled to
    ``[0, 1]``); for every ``(k, w)`` of ``settings`` each token is linked
    to its ``k`` nearest other tokens of the same image, the links of all
    settings are OR-ed, made symmetric and normalised. Tokens of different
    images are never linked (a block-diagonal graph).

    Args:
        colours (Tensor): ``(B, 3, h, w)`` the images at the patch grid, in
            ``[0, 1]``.
        settings (Sequence[tuple[int, float]]): ``(k, w)`` pairs; paper:
            ``(10, 2.0)`` and ``(5, 0.1)``.

    Returns:
        Tensor: ``(B * h * w, B * h * w)`` float32, tokens in ``(image, row,
        column)`` order.
    """
    images, _, height, width = colours.shape
    tokens = height * width
    ys = torch.linspace(0, 1, height, device=colours.device)
    xs = torch.linspace(0, 1, width, device=colours.device)
    grid = torch.stack(torch.meshgrid(xs, ys, indexing='xy'), -1)
    grid = grid.reshape(1, tokens, 2).expand(images, -1, -1)
    rgb = colours.float().flatten(2).transpose(1, 2)  # (B, T, 3)
    links = torch.zeros(images, tokens, tokens, dtype=torch.bool,
                        device=colours.device)
    for k, weight in settings:
        vectors = torch.cat([rgb, weight * grid], dim=2)
        distance = torch.cdist(vectors, vectors)
        distance.diagonal(dim1=1, dim2=2).fill_(float('inf'))
        index = distance.topk(min(k, tokens - 1), dim=2,
                              largest=False).indices
        links.scatter_(2, index, True)
    links = links | links.transpose(1, 2)
    return torch.block_diag(*normalise_adjacency(links.float()))


def neuralef_kernel(feature_graph: torch.Tensor, pixel_graph: torch.Tensor,
                    pixel_weight: float = 0.3) -> torch.Tensor:
    """``A_feat + alpha * A_pix`` (the paper's alpha, the code's
    ``pixelwise_weight``; 0.3)."""
    if feature_graph.shape != pixel_graph.shape:
        raise ValueError(f'the feature graph {tuple(feature_graph.shape)} '
                         f'and the pixel graph {tuple(pixel_graph.shape)} '
                         'must cover the same tokens')
    return feature_graph + pixel_weight * pixel_graph
