"""The soft superpixelated image of a dense soft assignment."""
import torch


def soft_superpixel_image(assignment: torch.Tensor, image: torch.Tensor,
                          eps: float = 1e-8) -> torch.Tensor:
    """Each pixel's expected superpixel colour under a soft assignment.

    Eliasof et al. (ICIP 2022), eq. 2 as their method uses it: superpixel
    ``s`` has the ``P``-weighted mean colour
    ``mu_s = sum_x P_s(x) I(x) / sum_x P_s(x)``, and pixel ``x`` gets
    ``sum_s P_s(x) mu_s``. With a one-hot ``P`` this is the hard
    superpixelated image (each pixel its superpixel's mean colour). Two
    batched matrix products; nothing of size ``N x C x S x H x W`` is built.

    Args:
        assignment (Tensor): ``(N, S, H, W)`` soft assignment ``P`` of every
            pixel to ``S`` superpixels (sums to 1 over dim 1).
        image (Tensor): ``(N, C, H, W)`` the image (any channels).
        eps (float): Floor of a superpixel's mass ``sum_x P_s(x)``.

    Returns:
        Tensor: ``(N, C, H, W)`` the soft superpixelated image.
    """
    if assignment.dim() != 4 or image.dim() != 4 or \
            assignment.shape[0] != image.shape[0] or \
            assignment.shape[2:] != image.shape[2:]:
        raise ValueError(
            f'need an (N, S, H, W) assignment and an (N, C, H, W) image of '
            f'the same N, H, W, got {tuple(assignment.shape)} and '
            f'{tuple(image.shape)}')
    probs = assignment.flatten(2)  # (N, S, HW)
    pixels = image.flatten(2)  # (N, C, HW)
    sums = torch.bmm(probs, pixels.transpose(1, 2))  # (N, S, C)
    means = sums / probs.sum(2, keepdim=True).clamp_min(eps)
    return torch.bmm(means.transpose(1, 2), probs).view_as(image)
