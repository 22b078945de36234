"""AINet's boundary-perceiving loss (Wang et al., ICCV 2021)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmsuperpix.registry import MODELS

#: exp(d) is clamped to 1e15 in AINet's similarity, i.e. d to log(1e15).
_MAX_DISTANCE = math.log(1e15)


def boundary_mask(labels: torch.Tensor) -> torch.Tensor:
    """Pixels whose label differs from a 4-neighbour (both sides).

    Args:
        labels (Tensor): ``(N, H, W)`` segment ids.

    Returns:
        Tensor: ``(N, H, W)`` bool (skimage's ``find_boundaries``, 'thick').
    """
    edge = torch.zeros_like(labels, dtype=torch.bool)
    horizontal = labels[:, :, 1:] != labels[:, :, :-1]
    vertical = labels[:, 1:] != labels[:, :-1]
    edge[:, :, 1:] |= horizontal
    edge[:, :, :-1] |= horizontal
    edge[:, 1:] |= vertical
    edge[:, :-1] |= vertical
    return edge


@MODELS.register_module()
class BoundaryPerceivingLoss(nn.Module):
    """Pull apart pixel embeddings across ground-truth boundaries, pull them
    together on each side.

    Sampling (per image, as AINet's ``local_patch_sampler``): centres are
    ground-truth boundary pixels at least ``border`` pixels from the image
    edge whose ``patch_size x patch_size`` window holds exactly two labels;
    ``min(max_patches, n_boundary_pixels // patch_size)`` of them are drawn
    at random (without replacement here). In each window the pixels of each
    label are split, in raster order, into a first and a second half, giving
    four masks ``a1, a2, b1, b2``; their embeddings are averaged as
    ``sum(mask * e) / (|mask| + 1)``.

    With ``sim(f, g) = 2 / (1 + exp(||f - g||_1))`` the loss of a window is
    ``-(log sim(a1, a2) + log sim(b1, b2)) / 2 - (log(1 - sim(a1, b1)) +
    log(1 - sim(a2, b2))) / 2``, averaged over the windows of an image and
    then over the batch (images without a valid window add 0; the public
    code adds a dummy all-ones window there, which costs ~18).

    Args:
        patch_size (int): Window side. Defaults to 5.
        max_patches (int): Cap per image. Defaults to 500.
        border (int): Excluded image margin. Defaults to 5.
        loss_weight (float): Defaults to 0.0025 (SCN's 0.005 times AINet's
            alpha = 0.5).
    """

    def __init__(self,
                 patch_size: int = 5,
                 max_patches: int = 500,
                 border: int = 5,
                 loss_weight: float = 0.0025) -> None:
        super().__init__()
        if patch_size % 2 == 0 or border < patch_size // 2:
            raise ValueError(
                f'patch_size must be odd and border >= patch_size // 2, got '
                f'patch_size={patch_size}, border={border}')
        self.patch_size = patch_size
        self.max_patches = max_patches
        self.border = border
        self.loss_weight = loss_weight

    @torch.no_grad()
    def sample_windows(self, labels: torch.Tensor):
        """Choose window centres.

        Args:
            labels (Tensor): ``(N, H, W)`` segment ids.

        Returns:
            tuple: ``image (K,)`` batch index and ``pixels (K, P*P)`` flat
            pixel indices of each chosen window, in raster order.
        """
        num, height, width = labels.shape
        edge = boundary_mask(labels)
        quota = (edge.flatten(1).sum(1) // self.patch_size).clamp(
            max=self.max_patches)
        inner = torch.zeros_like(edge)
        b = self.border
        inner[:, b:height - b, b:width - b] = True
        image, ys, xs = torch.nonzero(edge & inner, as_tuple=True)
        r = self.patch_size // 2
        dy, dx = torch.meshgrid(torch.arange(-r, r + 1, device=labels.device),
                                torch.arange(-r, r + 1, device=labels.device),
                                indexing='ij')
        pixels = (ys[:, None] + dy.flatten()) * width + xs[:, None] + \
            dx.flatten()
        window = labels.flatten(1)[image[:, None], pixels]
        ordered = window.sort(1).values
        two_labels = (ordered[:, 1:] != ordered[:, :-1]).sum(1) == 1
        image, pixels = image[two_labels], pixels[two_labels]
        order = torch.argsort(image * 2 + torch.rand(len(image),
                                                     device=labels.device))
        image, pixels = image[order], pixels[order]
        counts = torch.bincount(image, minlength=num)
        start = torch.cumsum(counts, 0) - counts
        rank = torch.arange(len(image), device=labels.device) - start[image]
        keep = rank < quota[image]
        return image[keep], pixels[keep]

    def forward(self, embedding: torch.Tensor,
                labels: torch.Tensor) -> torch.Tensor:
        """Compute the weighted loss.

        Args:
            embedding (Tensor): Pixel embedding ``(N, C, H, W)``.
            labels (Tensor): Segment ids ``(N, H, W)``.

        Returns:
            Tensor: Scalar loss.
        """
        if embedding.shape[0] != labels.shape[0] or \
                embedding.shape[-2:] != labels.shape[-2:]:
            raise ValueError(
                f'embedding {tuple(embedding.shape)} and labels '
                f'{tuple(labels.shape)} must share N, H and W')
        num = embedding.shape[0]
        image, pixels = self.sample_windows(labels)
        if len(image) == 0:
            return embedding.sum() * 0.0
        window = labels.flatten(1)[image[:, None], pixels]  # (K, P*P)
        feats = embedding.flatten(2).permute(0, 2, 1)[image[:, None],
                                                       pixels]  # (K, P*P, C)
        halves = []
        for label in (window.min(1).values, window.max(1).values):
            mask = window == label[:, None]
            rank = mask.cumsum(1)
            first = mask & (rank <= mask.sum(1, keepdim=True) // 2)
            halves += [first, mask & ~first]
        means = [(m[..., None] * feats).sum(1) / (m.sum(1, keepdim=True) + 1)
                 for m in halves]  # a1, a2, b1, b2: (K, C) each

        def distance(f, g):
            return (f - g).abs().sum(1).clamp(max=_MAX_DISTANCE)

        same = (F.softplus(distance(means[0], means[1])) +
                F.softplus(distance(means[2], means[3]))) / 2 - math.log(2)
        cross = -(torch.log(torch.tanh(distance(means[0], means[2]) / 2) +
                            1e-8) +
                  torch.log(torch.tanh(distance(means[1], means[3]) / 2) +
                            1e-8)) / 2
        per_window = same + cross
        totals = per_window.new_zeros(num).index_add_(0, image, per_window)
        counts = torch.bincount(image, minlength=num).clamp(min=1)
        return self.loss_weight * (totals / counts).sum() / num
