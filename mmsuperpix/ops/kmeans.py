"""k-means on tensors (k-means++ seeding, Lloyd iterations)."""
from typing import Optional

import torch
import torch.nn.functional as F

#: Distances :func:`kmeans` clusters by.
KMEANS_METRICS = ('cosine', 'euclidean')


def _distances(points: torch.Tensor, centres: torch.Tensor,
               metric: str) -> torch.Tensor:
    """``(N, k)`` squared Euclidean or cosine (1 - similarity) distances."""
    if metric == 'cosine':  # >= 0 despite rounding (k-means++ weights)
        return (1 - points @ centres.T).clamp_min(0)
    return torch.cdist(points, centres).square()


def kmeans(points: torch.Tensor,
           k: int,
           num_iters: int = 100,
           metric: str = 'cosine',
           seed: int = 0,
           generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Cluster centres of ``points``.

    k-means++ seeding (each next centre drawn with probability proportional
    to the distance to the nearest chosen one), then Lloyd iterations
    (assign by the nearest centre, move each centre to its points' mean)
    until no assignment changes or ``num_iters``. ``'cosine'`` clusters the
    L2-normalised points (spherical k-means: centres are normalised means).
    An empty cluster keeps its centre.

    Args:
        points (Tensor): ``(N, C)`` float.
        k (int): Clusters, ``1 <= k <= N``.
        num_iters (int): Most Lloyd iterations. Defaults to 100.
        metric (str): One of :data:`KMEANS_METRICS`. Defaults to cosine.
        seed (int): Seed of the k-means++ draws (unless ``generator``).

    Returns:
        Tensor: ``(k, C)`` float32 centres (unit norm for cosine).
    """
    if metric not in KMEANS_METRICS:
        raise ValueError(f'metric must be one of {KMEANS_METRICS}, got '
                         f'{metric!r}')
    if points.dim() != 2 or not 1 <= k <= len(points):
        raise ValueError(f'need (N, C) points with 1 <= k <= N, got shape '
                         f'{tuple(points.shape)} and k={k}')
    points = points.float()
    if metric == 'cosine':
        points = F.normalize(points, dim=1)
    generator = generator or torch.Generator().manual_seed(seed)
    first = torch.randint(len(points), (1, ), generator=generator)
    centres = points[first]
    nearest = _distances(points, centres, metric)[:, 0]
    for _ in range(1, k):  # k-means++: one draw per centre
        weights = nearest.cpu() + 1e-12
        index = torch.multinomial(weights, 1, generator=generator)
        centres = torch.cat([centres, points[index.to(points.device)]])
        nearest = torch.minimum(
            nearest, _distances(points, centres[-1:], metric)[:, 0])
    assignment = None
    for _ in range(num_iters):
        new = _distances(points, centres, metric).argmin(1)
        if assignment is not None and torch.equal(new, assignment):
            break
        assignment = new
        sums = torch.zeros_like(centres).index_add_(0, assignment, points)
        counts = torch.bincount(assignment, minlength=k).to(points.dtype)
        filled = counts > 0
        centres[filled] = sums[filled] / counts[filled, None]
        if metric == 'cosine':
            centres = F.normalize(centres, dim=1)
    return centres
