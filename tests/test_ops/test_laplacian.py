import pytest
import torch

from mmsuperpix.ops import laplacian_3x3


def test_impulse_and_flat_regions():
    x = torch.zeros(1, 2, 7, 7)
    x[0, 0, 3, 3] = 16.0
    x[0, 1] = 5.0  # flat channel
    out = laplacian_3x3(x)
    assert out.shape == x.shape
    assert out[0, 0, 3, 3] == -8.0
    neighbours = out[0, 0, 2:5, 2:5].clone()
    neighbours[1, 1] = 1.0
    assert torch.all(neighbours == 1.0)
    assert out[0, 0, 0, 0] == 0.0
    assert torch.all(out[0, 1] == 0.0)


def test_reflected_border_keeps_a_ramp_flat():
    ramp = torch.arange(6.0).repeat(5, 1)[None, None]  # (1, 1, 5, 6)
    out = laplacian_3x3(ramp)
    assert torch.allclose(out[..., 1:-1], torch.zeros(1, 1, 5, 4))


def test_rejects_wrong_rank():
    with pytest.raises(ValueError, match=r'\(N, C, H, W\)'):
        laplacian_3x3(torch.zeros(3, 5, 5))
