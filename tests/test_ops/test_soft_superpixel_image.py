import pytest
import torch

from mmsuperpix.ops import soft_superpixel_image


def test_one_hot_assignment_gives_superpixel_means():
    torch.manual_seed(0)
    image = torch.rand(2, 3, 6, 5)
    labels = torch.randint(0, 4, (2, 6, 5))
    labels[:, 0, :4] = torch.arange(4)  # every superpixel used
    one_hot = torch.nn.functional.one_hot(labels, 4).permute(0, 3, 1, 2)
    out = soft_superpixel_image(one_hot.float(), image)
    for b in range(2):
        for s in range(4):
            mask = labels[b] == s
            mean = image[b][:, mask].mean(1)
            assert torch.allclose(out[b][:, mask],
                                  mean[:, None].expand(-1, int(mask.sum())),
                                  atol=1e-6)


def test_soft_assignment_matches_the_definition():
    torch.manual_seed(1)
    image = torch.rand(1, 3, 4, 4)
    probs = torch.rand(1, 5, 4, 4).softmax(1)
    p, i = probs[0].flatten(1), image[0].flatten(1)  # (S, HW), (C, HW)
    means = (p @ i.T) / p.sum(1, keepdim=True)  # (S, C)
    expected = (means.T @ p).view(1, 3, 4, 4)
    assert torch.allclose(soft_superpixel_image(probs, image), expected,
                          atol=1e-6)
    probs.requires_grad_(True)
    soft_superpixel_image(probs, image).sum().backward()
    assert probs.grad is not None and torch.isfinite(probs.grad).all()


def test_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match='same N, H, W'):
        soft_superpixel_image(torch.rand(1, 4, 5, 5), torch.rand(1, 3, 5, 6))
