"""AINet's Association Implantation against the paper's literal
construction, and the SCN / AINet networks' shapes."""
import pytest
import torch
import torch.nn.functional as F

from mmsuperpix.models import (AINetEncoderDecoder, AssociationHead,
                               AssociationImplantation, LocalContextAttention,
                               SCNEncoderDecoder)


def literal_implantation(pixel, sp, weight, s):
    """Build the paper's 3H x 3W map and convolve it with stride 3."""
    n, c, hh, ww = pixel.shape
    padded = F.pad(sp, (1, 1, 1, 1))
    big = torch.zeros(n, c, 3 * hh, 3 * ww, dtype=pixel.dtype)
    for y in range(hh):
        for x in range(ww):
            cy, cx = y // s + 1, x // s + 1
            window = padded[:, :, cy - 1:cy + 2, cx - 1:cx + 2].clone()
            window[:, :, 1, 1] += pixel[:, :, y, x]
            big[:, :, 3 * y:3 * y + 3, 3 * x:3 * x + 3] = window
    return F.conv2d(big, weight, stride=3)


def test_implantation_equals_the_papers_window_convolution():
    torch.manual_seed(0)
    module = AssociationImplantation(channels=3, cell_size=4).double().eval()
    pixel = torch.randn(2, 3, 8, 12, dtype=torch.float64)
    sp = torch.randn(2, 3, 2, 3, dtype=torch.float64)
    expected = literal_implantation(pixel, sp, module.weight, 4)
    got = module(pixel, sp)
    torch.testing.assert_close(got, module.act(module.norm(expected)))


def test_implantation_rejects_misaligned_grids():
    module = AssociationImplantation(channels=3, cell_size=4)
    with pytest.raises(ValueError, match='grid of 4x4 cells'):
        module(torch.zeros(1, 3, 8, 8), torch.zeros(1, 3, 3, 2))


@pytest.mark.parametrize('backbone_cls,kwargs', [
    (SCNEncoderDecoder, {}),
    (AINetEncoderDecoder, {}),
    (AINetEncoderDecoder, dict(context_attention=True)),
])
def test_networks_produce_full_resolution_features(backbone_cls, kwargs):
    net = backbone_cls(**kwargs)
    net.init_weights()
    out = net(torch.randn(2, 3, 32, 48))
    assert out['features'].shape == (2, 16, 32, 48)
    assert out['embedding'].shape == (2, 16, 32, 48)
    assert out['bottleneck'].shape == (2, 256, 2, 3)
    assoc = AssociationHead(16)(out)
    assert assoc.shape == (2, 9, 32, 48)
    torch.testing.assert_close(assoc.sum(1), torch.ones(2, 32, 48))
    if backbone_cls is AINetEncoderDecoder:
        assert out['superpixel_embedding'].shape == (2, 16, 2, 3)


def test_scn_parameter_count_matches_the_paper_network():
    scn = sum(p.numel() for p in SCNEncoderDecoder().parameters()) + sum(
        p.numel() for p in AssociationHead().parameters())
    # the public SCN (SpixelNet1l_bn) without its unused heads: ~2.27 M
    assert 2.2e6 < scn < 2.3e6


def test_input_must_fit_the_grid():
    with pytest.raises(ValueError, match='multiple of 16'):
        SCNEncoderDecoder()(torch.zeros(1, 3, 30, 32))


def test_local_context_attention_keeps_shape():
    att = LocalContextAttention(8)
    assert att(torch.randn(1, 8, 5, 7)).shape == (1, 8, 5, 7)
