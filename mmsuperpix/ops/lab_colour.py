"""sRGB to CIELAB on tensors (D65 white, the formulas of the CIE standard
that scikit-image and OpenCV's float path implement)."""
import torch

#: Linear sRGB -> XYZ (D65), rows X, Y, Z.
_RGB_TO_XYZ = ((0.412453, 0.357580, 0.180423),
               (0.212671, 0.715160, 0.072169),
               (0.019334, 0.119193, 0.950227))
_WHITE = (0.950456, 1.0, 1.088754)
_DELTA = 6.0 / 29.0


def rgb_to_lab(rgb: torch.Tensor) -> torch.Tensor:
    """CIELAB of sRGB images.

    Args:
        rgb (Tensor): ``(N, 3, H, W)`` RGB in ``0..255``.

    Returns:
        Tensor: ``(N, 3, H, W)`` float32 ``L`` in ``0..100``, ``a`` and ``b``
        about ``-128..127``; float32 under ``torch.autocast`` too (bfloat16
        would round ``L`` to steps of up to 0.5).
    """
    if rgb.dim() != 4 or rgb.shape[1] != 3:
        raise ValueError(f'expected RGB images (N, 3, H, W), got shape '
                         f'{tuple(rgb.shape)}')
    with torch.autocast(rgb.device.type, enabled=False):
        return _lab(rgb.float())


def _lab(rgb: torch.Tensor) -> torch.Tensor:
    """:func:`rgb_to_lab` of float32 images."""
    c = (rgb / 255.0).clamp(0.0, 1.0)
    linear = torch.where(c <= 0.04045, c / 12.92,
                         ((c + 0.055) / 1.055)**2.4)
    matrix = torch.tensor(_RGB_TO_XYZ, device=rgb.device) / torch.tensor(
        _WHITE, device=rgb.device)[:, None]
    xyz = torch.einsum('ij,njhw->nihw', matrix, linear)
    f = torch.where(xyz > _DELTA**3, xyz.clamp_min(1e-12)**(1.0 / 3.0),
                    xyz / (3 * _DELTA**2) + 4.0 / 29.0)
    fx, fy, fz = f.unbind(1)
    return torch.stack(
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)], 1)
