"""The per-image superpixel CNN: shapes, RIM vs Eliasof bodies, and
independent weights per image."""
import pytest
import torch

from mmsuperpix.models.backbones import UnsupervisedSuperpixelNet


def small_net(**kwargs):
    cfg = dict(num_superpixels=6, base_channels=4, num_convs=2)
    cfg.update(kwargs)
    net = UnsupervisedSuperpixelNet(**cfg)
    net.init_weights(torch.Generator().manual_seed(0))
    return net


@pytest.mark.parametrize('body', [dict(), dict(laplacian_features=False,
                                              aspp_dilations=None)])
def test_shapes_and_gradients(body):
    net = small_net(**body)
    x = torch.randn(1, 5, 12, 10)
    logits, recon = net(x)
    assert logits.shape == (1, 6, 12, 10) and recon.shape == (1, 3, 12, 10)
    (logits.sum() + recon.sum()).backward()
    assert all(p.grad is not None for p in net.parameters())


def test_rim_body_is_smaller_than_eliasofs():
    eliasof, rim = small_net(), small_net(laplacian_features=False,
                                          aspp_dilations=None)
    assert rim.aspp is None and len(eliasof.aspp) == 4
    count = lambda net: sum(p.numel() for p in net.parameters())  # noqa
    assert count(rim) < count(eliasof)
    # the paper's widths: 32, 64, 128, 256
    paper = UnsupervisedSuperpixelNet(num_superpixels=100)
    widths = [block.out_channels for block in paper.features]
    assert widths == [32, 64, 128, 256]


def test_grouped_images_behave_as_separate_networks():
    torch.manual_seed(0)
    x = torch.randn(2, 5, 9, 11)
    pair = small_net(num_images=2)
    single = small_net()
    for i in range(2):
        a, b = single(x[i:i + 1]), pair(x)
        assert torch.allclose(a[0][0], b[0][i], atol=1e-5)
        assert torch.allclose(a[1][0], b[1][i], atol=1e-5)
    # gradients of image 0's loss do not touch image 1's weights
    logits, _ = pair(x)
    logits[0].sum().backward()
    weight = pair.features[0].conv.weight.grad  # (2 * 4, 5, 3, 3)
    assert weight[:4].abs().sum() > 0 and weight[4:].abs().sum() == 0


def test_rejects_bad_sizes_and_image_counts():
    with pytest.raises(ValueError, match='num_superpixels'):
        UnsupervisedSuperpixelNet(num_superpixels=0)
    with pytest.raises(ValueError, match='2 image'):
        small_net(num_images=2)(torch.randn(3, 5, 8, 8))
