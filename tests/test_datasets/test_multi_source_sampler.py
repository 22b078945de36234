"""MultiSourceSampler: batch composition, coverage, seeds, ranks, errors."""
import itertools
from collections import Counter

import pytest
from mmengine.dataset import BaseDataset
from mmengine.dataset import ConcatDataset as MMConcatDataset
from torch.utils.data import ConcatDataset

from mmsuperpix.datasets.samplers import MultiSourceSampler
from mmsuperpix.datasets.samplers import multi_source_sampler as module
from mmsuperpix.registry import DATA_SAMPLERS


class Toy(BaseDataset):
    """n samples, no files."""

    def __init__(self, n):
        self.n = n
        super().__init__(serialize_data=False)

    def load_data_list(self):
        return [dict(i=i) for i in range(self.n)]


def concat(*sizes):
    return ConcatDataset([list(range(n)) for n in sizes])


def batches(sampler, num):
    it = iter(sampler)
    return [list(itertools.islice(it, sampler.batch_size))
            for _ in range(num)]


@pytest.mark.parametrize('sizes,batch_size,ratio,counts', [
    ((5, 13), 6, [1, 2], [2, 4]),
    ((5, 13), 5, [1, 1], [3, 2]),    # remainder to source 0
    ((5, 13), 8, [1, 3], [2, 6]),
    ((3, 4, 7), 7, [1, 1, 1], [3, 2, 2]),
])
def test_every_batch_has_the_ratio(sizes, batch_size, ratio, counts):
    sampler = MultiSourceSampler(concat(*sizes), batch_size, ratio, seed=0)
    assert sampler.num_per_source == counts
    bounds = [0, *itertools.accumulate(sizes)]
    for batch in batches(sampler, 50):
        assert len(batch) == batch_size
        pos = 0
        for s, count in enumerate(counts):
            part = batch[pos:pos + count]
            assert all(bounds[s] <= i < bounds[s + 1] for i in part)
            pos += count


def test_whole_passes_cover_each_source_uniformly():
    # 12 batches of 2 + 3: exactly 6 passes over each source
    sampler = MultiSourceSampler(concat(4, 6), 5, [2, 3], seed=3)
    counts = Counter(itertools.chain(*batches(sampler, 12)))
    assert counts == Counter({i: 6 for i in range(10)})


def test_long_run_is_near_uniform():
    sampler = MultiSourceSampler(concat(7, 11), 4, [1, 1], seed=1)
    counts = Counter(itertools.chain(*batches(sampler, 500)))
    first = [counts[i] for i in range(7)]
    second = [counts[i] for i in range(7, 18)]
    assert sum(first) == sum(second) == 1000
    # reshuffled per pass: within one pass of the mean count
    assert max(first) - min(first) <= 1
    assert max(second) - min(second) <= 1


def test_sources_are_shuffled_and_reshuffled():
    sampler = MultiSourceSampler(concat(20, 20), 2, [1, 1], seed=0)
    first = [b[0] for b in batches(sampler, 40)]
    assert first[:20] != list(range(20))
    assert sorted(first[:20]) == sorted(first[20:]) == list(range(20))
    assert first[:20] != first[20:]
    # the two sources of equal size do not share the permutation
    second = [b[1] - 20 for b in batches(sampler, 20)]
    assert second != first[:20]


def test_no_shuffle_cycles_in_order():
    sampler = MultiSourceSampler(concat(3, 4), 2, [1, 1], shuffle=False)
    assert batches(sampler, 4) == [[0, 3], [1, 4], [2, 5], [0, 6]]


def test_seed_determinism():
    def draw(seed):
        return batches(MultiSourceSampler(concat(9, 17), 4, [1, 3],
                                          seed=seed), 30)

    assert draw(5) == draw(5)
    assert draw(5) != draw(6)
    sampler = MultiSourceSampler(concat(9, 17), 4, [1, 3], seed=5)
    assert batches(sampler, 30) == batches(sampler, 30)  # restarts


def test_ranks_draw_disjoint_shares(monkeypatch):
    sizes, batch_size, ratio = (4, 8), 3, [1, 2]
    streams = {}
    for rank in range(2):
        monkeypatch.setattr(module, 'get_dist_info', lambda r=rank: (r, 2))
        sampler = MultiSourceSampler(concat(*sizes), batch_size, ratio,
                                     seed=11)
        assert (sampler.rank, sampler.world_size) == (rank, 2)
        streams[rank] = batches(sampler, 2)
    for s, (lo, hi) in enumerate([(0, 1), (1, 3)]):
        # the first pass over the source: two draws per rank
        a = [i for b in streams[0] for i in b[lo:hi]]
        b = [i for b in streams[1] for i in b[lo:hi]]
        assert not set(a) & set(b)
        offset = (0, 4)[s]
        assert sorted(a + b) == list(range(offset, offset + sizes[s]))
    # together the ranks walk the single-process stream, interleaved
    monkeypatch.setattr(module, 'get_dist_info', lambda: (0, 1))
    single = batches(MultiSourceSampler(concat(*sizes), batch_size, ratio,
                                        seed=11), 4)
    assert [b[0] for b in single] == [
        streams[0][0][0], streams[1][0][0], streams[0][1][0],
        streams[1][1][0]]


def test_with_mmengine_concat_dataset_and_registry():
    dataset = MMConcatDataset([Toy(3), Toy(5)])
    sampler = DATA_SAMPLERS.build(
        dict(type='MultiSourceSampler', batch_size=4, source_ratio=[1, 3]),
        default_args=dict(dataset=dataset, seed=0))
    assert isinstance(sampler, MultiSourceSampler)
    assert len(sampler) == 8
    sampler.set_epoch(3)  # no-op
    for batch in batches(sampler, 10):
        assert batch[0] < 3 and all(3 <= i < 8 for i in batch[1:])
    assert sampler.seed == 0
    assert isinstance(MultiSourceSampler(dataset, 4).seed, int)


@pytest.mark.parametrize('dataset,kwargs,error,match', [
    (list(range(4)), dict(batch_size=2), TypeError, 'ConcatDataset'),
    (concat(3, 4), dict(batch_size=2, source_ratio=[1, 1, 1]), ValueError,
     'one share per source.*2 sources'),
    (concat(3, 4), dict(batch_size=2, source_ratio=[1, 0]), ValueError,
     'positive'),
    (concat(3, 0), dict(batch_size=2), ValueError, r'source\(s\) \[1\].*'
     'empty'),
    (concat(3, 4), dict(batch_size=2, source_ratio=[10, 1]), ValueError,
     r'counts \[2, 0\].*Raise batch_size'),
    (concat(3, 4), dict(batch_size=0), ValueError, 'positive int'),
])
def test_errors(dataset, kwargs, error, match):
    with pytest.raises(error, match=match):
        MultiSourceSampler(dataset, **kwargs)
