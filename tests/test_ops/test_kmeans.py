import pytest
import torch

from mmsuperpix.ops import kmeans


def blobs(seed=0):
    g = torch.Generator().manual_seed(seed)
    centres = torch.tensor([[5., 0.], [0., 5.], [-5., -5.]])
    points = centres.repeat_interleave(30, 0) + 0.3 * torch.randn(
        90, 2, generator=g)
    return centres, points


@pytest.mark.parametrize('metric', ['euclidean', 'cosine'])
def test_separated_blobs_are_found(metric):
    centres, points = blobs()
    found = kmeans(points, 3, metric=metric)
    assert found.shape == (3, 2)
    target = torch.nn.functional.normalize(centres, dim=1) \
        if metric == 'cosine' else centres
    # every true centre has a found one close by
    distance = torch.cdist(target, found).min(1).values
    assert torch.all(distance < (0.1 if metric == 'cosine' else 0.3))
    if metric == 'cosine':
        assert torch.allclose(found.norm(dim=1), torch.ones(3))


def test_seeded_and_checked():
    _, points = blobs()
    assert torch.equal(kmeans(points, 3, seed=1), kmeans(points, 3, seed=1))
    with pytest.raises(ValueError, match='k <= N'):
        kmeans(points, 200)
    with pytest.raises(ValueError, match='metric'):
        kmeans(points, 2, metric='manhattan')


def test_duplicate_points_do_not_break_the_seeding():
    # cosine distances of identical unit vectors round to tiny negatives
    points = torch.randn(1, 384).repeat(50, 1)
    points[25:] = torch.randn(1, 384)
    centres = kmeans(points, 4, metric='cosine')
    assert torch.isfinite(centres).all()
