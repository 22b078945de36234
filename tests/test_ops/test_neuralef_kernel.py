"""The NeuralEF graph kernel on hand-made cases."""
import pytest
import torch

from mmsuperpix.ops import (feature_knn_graph, neuralef_kernel,
                            normalise_adjacency, pixel_knn_graph)


def test_normalise_adjacency():
    a = torch.tensor([[0., 2., 0.], [2., 0., 1.], [0., 1., 0.]])
    out = normalise_adjacency(a)
    degree = a.sum(1)
    expected = a / torch.sqrt(degree[:, None] * degree[None, :])
    assert torch.allclose(out, expected)
    isolated = normalise_adjacency(torch.zeros(2, 2))
    assert torch.all(isolated == 0)


def test_feature_graph_keeps_the_k_most_similar_tokens():
    # two tight groups of directions, across two "images" of 3 tokens
    features = torch.tensor([[1., 0.], [0.99, 0.1], [0.98, 0.2],
                             [0., 1.], [0.1, 0.99], [-1., 0.]])
    graph = feature_knn_graph(features, k=1)
    assert torch.allclose(graph, graph.T)
    assert torch.all(graph >= 0) and torch.all(graph.diagonal() == 0)
    # token 3's nearest is token 4, across no image boundary needed
    assert graph[3, 4] > 0 and graph[3, 0] == 0
    # the opposite direction has only negative similarities: no edge kept
    # from its own row, only the symmetrised ones pointing at it
    raw = torch.nn.functional.normalize(features, dim=1)
    assert (raw[5] @ raw[:5].T).max() < 0.1
    assert torch.count_nonzero(graph[5]) <= 1
    full = feature_knn_graph(features, k=100)  # k capped at M - 1
    assert full.shape == (6, 6)


def test_pixel_graph_is_block_diagonal_symmetric_knn():
    colours = torch.zeros(2, 3, 2, 3)
    colours[:, :, :, 2] = 1.0  # the right column differs in colour
    graph = pixel_knn_graph(colours, settings=((1, 1.0), ))
    assert graph.shape == (12, 12)
    assert torch.allclose(graph, graph.T) and torch.all(graph >= 0)
    assert torch.all(graph[:6, 6:] == 0)  # images never linked
    links = graph[:6, :6] > 0
    assert not links.diagonal().any()
    assert links.sum(1).min() >= 1  # every token keeps its nearest one
    # token (0, 0)'s nearest is its same-coloured neighbour (0, 1) or (1, 0)
    assert links[0, 1] or links[0, 3]
    assert not links[0, 2]  # far and of another colour


def test_kernel_weights_the_pixel_graph():
    a, b = torch.eye(3), torch.ones(3, 3)
    assert torch.allclose(neuralef_kernel(a, b, 0.3), a + 0.3 * b)
    with pytest.raises(ValueError, match='same tokens'):
        neuralef_kernel(a, torch.ones(2, 2))
