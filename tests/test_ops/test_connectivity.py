"""Tests of mmsuperpix.ops.connectivity against scikit-image's routine."""
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

import numpy as np
import pytest
from scipy import ndimage
from skimage.segmentation._slic import _enforce_label_connectivity_cython

from mmsuperpix.ops.connectivity import (connectivity_sizes,
                                         enforce_connectivity)

MODULE = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
    'mmsuperpix', 'ops', 'connectivity.py')
FOUR = ndimage.generate_binary_structure(2, 1)


def skimage_reference(labels, min_size, max_size):
    """scikit-image's output; ids are first mapped to 0..n-1 because it
    treats the id ``start_label - 1 = -1`` as unlabelled."""
    _, ids = np.unique(labels, return_inverse=True)
    ids = ids.reshape(labels.shape).astype(np.intp)
    return _enforce_label_connectivity_cython(
        ids[np.newaxis], min_size, max_size, start_label=0)[0]


def check_invariants(out, labels, min_size):
    assert out.dtype == np.int32 and out.shape == labels.shape
    num = out.max() + 1
    assert out.min() == 0
    assert np.array_equal(np.unique(out), np.arange(num))
    sizes = np.bincount(out.ravel())
    # each label >= min_size, except label 0 when nothing reached min_size
    assert sizes.min() >= min(min_size, out.size)
    for k in range(num):
        _, pieces = ndimage.label(out == k, FOUR)
        assert pieces == 1, f'label {k} has {pieces} pieces'
    # labels are numbered in raster order of their first pixel
    firsts = [np.flatnonzero(out.ravel() == k)[0] for k in range(num)]
    assert firsts == sorted(firsts)


# --------------------------------------------------------------- hand cases
def test_two_components_of_one_label_are_split():
    labels = np.array([[5, 7, 5],
                       [5, 7, 5]])
    expected = [[0, 1, 2],
                [0, 1, 2]]
    out = enforce_connectivity(labels, 1, 100)
    assert out.tolist() == expected
    assert out.dtype == np.int32


def test_fragment_merges_into_upper_neighbour_checked_last():
    # the 9 is a 1-px fragment; its start pixel sees the left segment (1)
    # then the upper one (0): neighbours go right, left, down, up and the
    # last assigned one wins
    labels = np.array([[1, 1, 1, 1],
                       [2, 9, 3, 3],
                       [2, 3, 3, 3]])
    expected = [[0, 0, 0, 0],
                [1, 0, 2, 2],
                [1, 2, 2, 2]]
    assert enforce_connectivity(labels, 2, 100).tolist() == expected


def test_adjacent_is_updated_over_the_whole_search():
    # the 2-px fragment of 9s: its start (1, 1) last sees the upper 0, but
    # its second pixel (2, 1) then sees the left 1, which wins; the 3s and
    # 4s are too small as well and also end up in label 1
    labels = np.array([[1, 1, 1],
                       [2, 9, 3],
                       [2, 9, 3],
                       [2, 4, 4]])
    expected = [[0, 0, 0],
                [1, 1, 1],
                [1, 1, 1],
                [1, 1, 1]]
    assert enforce_connectivity(labels, 3, 100).tolist() == expected


def test_long_strip_is_cut_at_max_size():
    strip = np.zeros((1, 10), np.uint8)
    assert enforce_connectivity(strip, 1, 4).tolist() == [
        [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]]
    # the 2-px tail is below min_size and joins its left piece
    assert enforce_connectivity(strip, 3, 4).tolist() == [
        [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]]
    assert enforce_connectivity(strip.T, 1, 4).T.tolist() == [
        [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]]


def test_square_is_cut_in_bfs_order():
    square = np.zeros((3, 3), np.int16)
    assert enforce_connectivity(square, 1, 4).tolist() == [[0, 0, 0],
                                                           [0, 1, 1],
                                                           [2, 1, 1]]
    # the lone (2, 0) sees right (label 1) then up (label 0): up wins
    assert enforce_connectivity(square, 2, 4).tolist() == [[0, 0, 0],
                                                           [0, 1, 1],
                                                           [0, 1, 1]]


def test_everything_below_min_size_becomes_label_0():
    labels = np.array([[0, 1],
                       [2, 3]])
    assert enforce_connectivity(labels, 3, 5).tolist() == [[0, 0], [0, 0]]
    assert enforce_connectivity(np.array([[7]]), 1, 1).tolist() == [[0]]
    assert enforce_connectivity(np.array([[7]]), 0, 1).tolist() == [[0]]


def test_ids_only_matter_by_equality():
    base = np.array([[3, 3, 8, 1],
                     [1, 8, 8, 1],
                     [1, 1, 3, 3]])
    expected = enforce_connectivity(base, 2, 5)
    for mapping in ({1: -1, 3: -7, 8: 2**40}, {1: 0, 3: 255, 8: 17}):
        mapped = np.vectorize(mapping.get)(base).astype(np.int64)
        assert np.array_equal(enforce_connectivity(mapped, 2, 5), expected)
    big = np.where(base == 8, np.uint64(2**64 - 1), base.astype(np.uint64))
    assert np.array_equal(enforce_connectivity(big, 2, 5), expected)
    assert np.array_equal(
        enforce_connectivity(base == 8, 2, 5),
        enforce_connectivity((base == 8).astype(np.int8), 2, 5))
    # non-contiguous views
    assert np.array_equal(enforce_connectivity(base.T, 2, 5),
                          enforce_connectivity(base.T.copy(), 2, 5))


# ------------------------------------------------------ random vs skimage
def _random_maps(rng):
    """(kind, labels) pairs of all the shapes the brief lists."""
    for _ in range(80):
        h, w = rng.integers(1, 40, 2)
        yield 'noise', rng.integers(0, rng.integers(1, 5), (h, w))
        gh, gw = rng.integers(1, 8, 2)
        coarse = rng.integers(0, rng.integers(2, 10), (gh, gw))
        blocky = np.repeat(np.repeat(coarse, rng.integers(1, 7), 0),
                           rng.integers(1, 7), 1)
        yield 'blocky', blocky
        frag = blocky.copy()
        salt = rng.random(frag.shape) < 0.15
        frag[salt] = rng.integers(0, 10, salt.sum())
        yield 'fragments', frag
        yield 'single', np.full((h, w), rng.integers(-5, 5))
        yield 'row', rng.integers(0, 3, (1, w))
        yield 'column', rng.integers(0, 3, (h, 1))
    yield 'pixel', np.array([[4]])


@pytest.mark.parametrize('seed', range(4))
def test_identical_to_skimage_on_random_maps(seed):
    rng = np.random.default_rng(seed)
    calls = 0
    for kind, labels in _random_maps(rng):
        n = labels.size
        max_sizes = {1, 2, 3, int(rng.integers(1, n + 2)), n, 10 * n + 5}
        for max_size in sorted(max_sizes):
            for min_size in {0, 1, min(2, max_size), max_size,
                             int(rng.integers(0, max_size + 1))}:
                out = enforce_connectivity(labels, min_size, max_size)
                ref = skimage_reference(labels, min_size, max_size)
                assert np.array_equal(out, ref), (kind, labels.shape,
                                                  min_size, max_size)
                calls += 1
                if n <= 400 and calls % 4 == 0:  # per-label checks are slow
                    check_invariants(out, labels, min_size)


def test_identical_to_skimage_on_a_superpixel_sized_map():
    rng = np.random.default_rng(7)
    h, w = 321, 481
    y, x = np.mgrid[:h, :w]
    labels = ((y + 4 * np.sin(x / 7.0)) // 16 * 31
              + (x + 4 * np.sin(y / 5.0)) // 16).astype(np.int64)
    salt = rng.random((h, w)) < 0.05
    labels[salt] = rng.integers(0, labels.max() + 1, salt.sum())
    min_size, max_size = connectivity_sizes(h, w, 600)
    out = enforce_connectivity(labels, min_size, max_size)
    assert np.array_equal(out, skimage_reference(labels, min_size, max_size))
    assert np.bincount(out.ravel()).min() >= min_size
    # big regions cut at max_size as well
    flat = np.zeros((h, w), np.int32)
    out = enforce_connectivity(flat, min_size, max_size)
    assert np.array_equal(out, skimage_reference(flat, min_size, max_size))
    assert out.max() + 1 >= h * w // max_size


# ------------------------------------------------------------------- sizes
def test_connectivity_sizes():
    assert connectivity_sizes(481, 321, 600) == (15, 772)
    assert connectivity_sizes(321, 481, 600) == (15, 772)
    assert connectivity_sizes(10, 10, 100) == (0, 3)
    assert connectivity_sizes(100, 100, 1) == (600, 30000)
    with pytest.raises(ValueError, match='n_segments'):
        connectivity_sizes(4, 4, 17)
    with pytest.raises(ValueError, match='n_segments'):
        connectivity_sizes(4, 4, 0)
    with pytest.raises(ValueError, match='positive'):
        connectivity_sizes(0, 4, 1)
    with pytest.raises(TypeError, match='height'):
        connectivity_sizes(4.5, 4, 1)


# -------------------------------------------------------------- validation
@pytest.mark.parametrize('labels,error,match', [
    ([[1, 2]], TypeError, 'numpy.ndarray, got list'),
    (np.zeros(5, int), ValueError, r'2-D \(H, W\) map, got shape \(5,\)'),
    (np.zeros((1, 3, 3), int), ValueError, r'shape \(1, 3, 3\)'),
    (np.zeros((3, 3)), TypeError, 'integer dtype, got float64'),
    (np.zeros((0, 3), int), ValueError, 'empty'),
])
def test_bad_labels(labels, error, match):
    with pytest.raises(error, match=match):
        enforce_connectivity(labels, 1, 10)


@pytest.mark.parametrize('min_size,max_size,error,match', [
    (1, 0, ValueError, 'max_size must be >= 1, got 0'),
    (-1, 5, ValueError, 'got -1'),
    (6, 5, ValueError, '0 <= min_size <= max_size = 5, got 6'),
    (1.0, 5, TypeError, 'min_size must be an int'),
    (1, True, TypeError, 'max_size must be an int'),
])
def test_bad_sizes(min_size, max_size, error, match):
    with pytest.raises(error, match=match):
        enforce_connectivity(np.zeros((2, 2), int), min_size, max_size)


def test_numpy_integer_sizes_accepted():
    out = enforce_connectivity(np.zeros((2, 2), int), np.int64(1),
                               np.int32(3))
    assert out.tolist() == [[0, 0], [0, 1]]


# -------------------------------------------------------------- JIT cache
_PROBE = '''
import json, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(sys.argv[1]))
import connectivity as mod
out = mod.enforce_connectivity(np.array([[1, 1, 2], [3, 3, 2]]), 1, 10)
kernel = mod._connectivity_kernel
print(json.dumps(dict(
    out=out.tolist(), cache=type(kernel._cache).__name__,
    hits=sum(kernel.stats.cache_hits.values()),
    misses=sum(kernel.stats.cache_misses.values()))))
'''


def _probe(module_path, env):
    result = subprocess.run([sys.executable, '-c', _PROBE, module_path],
                            env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _isolated_copy(tmp_path):
    package = tmp_path / 'pkg'
    package.mkdir()
    path = str(package / 'connectivity.py')
    shutil.copy(MODULE, path)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1')
    env.pop('NUMBA_CACHE_DIR', None)
    env.pop('NUMBA_DISABLE_JIT', None)
    return package, path, env


def test_jit_cache_is_written_and_reused(tmp_path):
    package, path, env = _isolated_copy(tmp_path)
    first = _probe(path, env)
    assert first['out'] == [[0, 0, 1], [2, 2, 1]]
    assert first['cache'] == 'FunctionCache'
    assert any(name.endswith('.nbi')
               for name in os.listdir(package / '__pycache__'))
    second = _probe(path, env)
    assert second['out'] == first['out']
    assert second['hits'] >= 1 and second['misses'] == 0


def test_jit_without_writable_cache_dir_still_works(tmp_path):
    # as root nothing is read-only, so block every cache location numba
    # tries by putting a plain file where a directory must be
    package, path, env = _isolated_copy(tmp_path)
    (package / '__pycache__').write_text('not a directory')
    blocker = tmp_path / 'blocker'
    blocker.write_text('not a directory')
    env.update(HOME=str(blocker / 'home'),
               XDG_CACHE_HOME=str(blocker / 'cache'))
    result = _probe(path, env)
    assert result['out'] == [[0, 0, 1], [2, 2, 1]]
    assert result['cache'] == 'NullCache'
