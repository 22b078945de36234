"""DDFP's flow density estimator: invertibility, log-determinant, densities,
training on a toy mixture, failure handling and state dicts."""
import math

import pytest
import torch

from mmsuperpix.models import FlowDensityEstimator, GLOWCoupling
from mmsuperpix.registry import MODELS


def make_flow(channels, components=3, init_std=0.3, seed=0, **kwargs):
    torch.manual_seed(seed)
    return FlowDensityEstimator(
        in_channels=channels, hidden_channels=16, num_components=components,
        init_std=init_std, seed=seed, **kwargs).double()


def gauss_log_prob(z, mean):
    """log N(z; mean, I) written with torch.distributions, ``(P,)``."""
    dist = torch.distributions.Normal(mean, torch.ones_like(mean))
    return dist.log_prob(z).sum(-1)


def test_registered_and_defaults():
    est = MODELS.build(dict(type='FlowDensityEstimator'))
    assert isinstance(est, FlowDensityEstimator)
    assert len(est.blocks) == 2 and est.means.shape == (21, 256)
    assert isinstance(est.means, torch.nn.Parameter)
    lin = est.blocks[0].subnet2[0]
    assert lin.in_features == 128 and lin.out_features == 256
    assert est.blocks[0].subnet2[-1].out_features == 256
    # Every flow parameter re-initialised to 0.05 * randn (biases too).
    weights = torch.cat(
        [p.detach().flatten() for p in est.blocks.parameters()])
    assert 0.045 < float(weights.std()) < 0.055
    assert abs(float(weights.mean())) < 0.005
    # Block k's permutation comes from a generator seeded with k.
    for k, block in enumerate(est.blocks):
        expect = torch.randperm(256,
                                generator=torch.Generator().manual_seed(k))
        assert torch.equal(block.perm, expect)


@pytest.mark.parametrize('channels', [4, 5, 6])
def test_inverse_recovers_input(channels):
    est = make_flow(channels, init_std=0.5)
    x = 2.0 * torch.randn(64, channels, dtype=torch.float64)
    z, _ = est(x)
    assert not torch.allclose(z, x)
    torch.testing.assert_close(est.inverse(z), x, atol=1e-9, rtol=0)
    block = est.blocks[0]
    torch.testing.assert_close(block.inverse(block(x)[0]), x, atol=1e-10,
                               rtol=0)


@pytest.mark.parametrize('channels', [4, 5])
def test_logdet_matches_brute_force_jacobian(channels):
    est = make_flow(channels, init_std=0.6)
    x = torch.randn(4, channels, dtype=torch.float64)
    _, logdet = est(x)
    assert float(logdet.detach().abs().max()) > 0.05  # non-trivial volume
    for i in range(x.shape[0]):
        jac = torch.autograd.functional.jacobian(
            lambda v: est(v[None])[0][0], x[i])
        sign, logabs = torch.linalg.slogdet(jac)
        assert float(sign) != 0
        torch.testing.assert_close(logdet[i], logabs, atol=1e-10, rtol=0)


def test_soft_clamp_bounds_the_log_scales():
    block = GLOWCoupling(4, hidden_channels=8, clamp=2.0).double()
    with torch.no_grad():
        for p in block.parameters():
            p.normal_(0, 10.0)
    _, logdet = block(torch.randn(32, 4, dtype=torch.float64) * 10)
    assert float(logdet.detach().abs().max()) < 4 * 2.0  # 4 log-scales, each < 2
    s = torch.tensor([-1e6, -1.0, 0.0, 1.0, 1e6], dtype=torch.float64)
    expect = 2.0 * 0.636 * torch.atan(s / 2.0)
    torch.testing.assert_close(block._log_scale(s), expect)


def test_log_prob_is_change_of_variables():
    est = make_flow(5, components=3)
    x = torch.randn(30, 5, dtype=torch.float64)
    labels = torch.tensor([0, 1, 2, -1, -1, 2] * 5)
    z, logdet = est(x)
    means = est.means.detach()
    comps = torch.stack([gauss_log_prob(z, m) for m in means], dim=1)
    mixture = torch.logsumexp(comps, 1) - math.log(3) + logdet
    conditional = comps[torch.arange(30), labels.clamp_min(0)] + logdet
    expect = torch.where(labels >= 0, conditional, mixture)
    torch.testing.assert_close(est.log_prob(x, labels), expect)
    torch.testing.assert_close(est.log_prob(x), mixture)
    torch.testing.assert_close(
        est.log_prob(x, torch.full((30, ), -1)), mixture)
    torch.testing.assert_close(est.class_log_likelihoods(x),
                               comps + logdet[:, None])
    torch.testing.assert_close(est.nll(x, labels), -expect.mean())


def toy_mixture(num, generator):
    centres = torch.tensor([[4.0, 0.0, 0.0, 1.0], [-3.0, 3.0, 0.0, -1.0],
                            [0.0, -4.0, 2.0, 0.0]])
    labels = torch.randint(0, 3, (num, ), generator=generator)
    x = centres[labels] + 0.5 * torch.randn(num, 4, generator=generator)
    return x, labels


@pytest.fixture
def one_thread():
    """Tiny matmuls run fastest (and steadiest on a busy box) on 1 thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_training_fits_a_toy_mixture(one_thread):
    gen = torch.Generator().manual_seed(0)
    x, labels = toy_mixture(600, gen)
    x_test, labels_test = toy_mixture(300, gen)
    torch.manual_seed(0)
    est = FlowDensityEstimator(in_channels=4, hidden_channels=32,
                               num_components=3)
    # In 4-D, randn means can lie too close for unit-variance classes to
    # separate; 256-d randn means (the real use) are ~22 apart.
    with torch.no_grad():
        est.means.copy_(3.0 * torch.eye(3, 4))
    optim = est.make_optimizer()
    assert optim.defaults['betas'] == (0.5, 0.9)
    with torch.no_grad():
        before = float(est.nll(x_test, labels_test))
    for _ in range(200):
        out = est.train_step(x, labels, optim, max_pixels=256)
        assert not out['skipped'] and math.isfinite(out['loss'])
    with torch.no_grad():
        after = float(est.nll(x_test, labels_test))
        unlabeled_after = float(est.nll(x_test))
        pred = est.class_log_likelihoods(x_test).argmax(1)
    assert before - after > 1.0, (before, after)
    assert unlabeled_after < before - 1.0
    accuracy = float((pred == labels_test).float().mean())
    assert accuracy > 0.9, accuracy


def test_train_step_subsamples_rows():
    est = make_flow(4).float()
    seen = []
    handle = est.blocks[0].register_forward_hook(
        lambda mod, args, out: seen.append(args[0].shape[0]))
    optim = torch.optim.Adam(est.parameters(), lr=1e-3)
    est.train_step(torch.randn(100, 4), None, optim, max_pixels=16)
    est.train_step(torch.randn(10, 4), None, optim, max_pixels=16)
    handle.remove()
    assert seen == [16, 10]


def test_nan_input_skips_the_step():
    est = make_flow(4).float()
    optim = est.make_optimizer()
    before = {k: v.clone() for k, v in est.state_dict().items()}
    x = torch.randn(50, 4)
    x[7, 2] = float('nan')
    out = est.train_step(x, torch.zeros(50, dtype=torch.long), optim)
    assert out['skipped'] is True
    assert all(p.grad is None for p in est.parameters())
    for key, value in est.state_dict().items():
        assert torch.equal(value, before[key]), key
        assert bool(torch.isfinite(value.float()).all())
    # A finite batch afterwards trains normally.
    out = est.train_step(torch.randn(50, 4), None, optim)
    assert out['skipped'] is False


def test_non_finite_gradient_skips_the_step():
    est = make_flow(4).float()
    optim = est.make_optimizer()
    before = {k: v.clone() for k, v in est.state_dict().items()}
    hook = est.means.register_hook(lambda g: g * float('inf'))
    out = est.train_step(torch.randn(20, 4), None, optim)
    hook.remove()
    assert out['skipped'] is True and math.isfinite(out['loss'])
    for key, value in est.state_dict().items():
        assert torch.equal(value, before[key]), key


def test_bad_inputs_raise_clear_errors():
    est = make_flow(4)
    x = torch.randn(6, 4, dtype=torch.float64)
    with pytest.raises(ValueError, match='2-D'):
        est(torch.randn(2, 3, 4, dtype=torch.float64))
    with pytest.raises(ValueError, match='in_channels=4'):
        est.log_prob(torch.randn(6, 5, dtype=torch.float64))
    with pytest.raises(TypeError, match='floating'):
        est(torch.ones(6, 4, dtype=torch.long))
    with pytest.raises(ValueError, match='NaN or Inf'):
        est.log_prob(torch.full((6, 4), float('inf'), dtype=torch.float64))
    with pytest.raises(ValueError, match=r'got \[3\]'):
        est.log_prob(x, torch.tensor([0, 1, 2, 3, -1, 0]))
    with pytest.raises(ValueError, match=r'got \[255\]'):
        est.nll(x, torch.tensor([0, 255, 2, 1, -1, 0]))
    with pytest.raises(ValueError, match='length 6'):
        est.log_prob(x, torch.zeros(5, dtype=torch.long))
    with pytest.raises(TypeError, match='integer'):
        est.log_prob(x, torch.zeros(6))
    with pytest.raises(ValueError, match='z has 3 channels'):
        est.inverse(torch.randn(6, 3, dtype=torch.float64))
    with pytest.raises(ValueError, match='in_channels >= 2'):
        FlowDensityEstimator(in_channels=1)


def test_state_dict_round_trip_with_another_seed():
    est = make_flow(5, seed=0)
    assert {'blocks.0.perm', 'blocks.1.perm', 'means'} <= set(
        est.state_dict())
    other = make_flow(5, seed=7)
    assert not torch.equal(other.blocks[0].perm, est.blocks[0].perm)
    other.load_state_dict(est.state_dict())
    x = torch.randn(12, 5, dtype=torch.float64)
    torch.testing.assert_close(other(x)[0], est(x)[0])
    torch.testing.assert_close(other.log_prob(x), est.log_prob(x))
    fixed = FlowDensityEstimator(in_channels=5, hidden_channels=16,
                                 num_components=3, learnable_means=False)
    assert 'means' in fixed.state_dict()
    assert all(p is not fixed.means for p in fixed.parameters())
