"""sRGB -> CIELAB on tensors: scikit-image's values, float32 under
autocast."""
import numpy as np
import pytest
import torch
from skimage.color import rgb2lab

from mmsuperpix.ops import rgb_to_lab


def test_matches_scikit_image_and_stays_float32_under_autocast():
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (2, 7, 9, 3), dtype=np.uint8)
    images = torch.from_numpy(rgb).permute(0, 3, 1, 2).float()
    expected = torch.from_numpy(np.stack([rgb2lab(x) for x in rgb])).permute(
        0, 3, 1, 2).float()
    lab = rgb_to_lab(images)
    torch.testing.assert_close(lab, expected, atol=1e-2, rtol=0)
    with torch.autocast('cpu', torch.bfloat16):
        in_autocast = rgb_to_lab(images)
    assert in_autocast.dtype == torch.float32
    torch.testing.assert_close(in_autocast, lab)
    with pytest.raises(ValueError, match=r'\(N, 3, H, W\)'):
        rgb_to_lab(images[:, :2])
