"""Batches with a fixed number of samples from each of several datasets."""
import itertools
from numbers import Number
from typing import Iterator, Optional, Sequence, Sized

import numpy as np
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import ConcatDataset, Sampler

from mmsuperpix.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class MultiSourceSampler(Sampler):
    """Infinite sampler giving every batch a fixed mix of the sources.

    The idea follows mmdetection 3.x's ``MultiSourceSampler``; this is a
    fresh implementation. ``dataset`` is a ``ConcatDataset`` of the sources
    (e.g. ``[labeled, unlabeled]``). Each run of ``batch_size`` consecutive
    indices holds ``num_per_source[i]`` indices of source ``i``, source 0
    first, with ``num_per_source[i] = int(batch_size * r_i / sum(r))`` and
    the remainder added to source 0. Set the DataLoader's ``batch_size`` to
    the same value (mmengine does: ``train_dataloader.batch_size``) and use
    an iteration-based loop: the stream never ends.

    Each source has its own infinite stream: random permutations of the
    source, one after the other (a source is reshuffled when exhausted),
    drawn from a generator seeded by ``(seed, source index)``. In
    distributed training rank ``r`` of ``W`` takes positions ``r, r + W,
    r + 2W, ...`` of every stream, so the ranks see disjoint samples within
    every pass over a source and together cover it.

    Args:
        dataset (ConcatDataset): The sources, concatenated (mmengine's or
            torch's ``ConcatDataset``).
        batch_size (int): Samples per batch (per GPU).
        source_ratio (Sequence[float]): Relative share of each source in a
            batch, one per source. Defaults to ``[1, 1]``.
        shuffle (bool): Shuffle each source; otherwise cycle through it in
            order. Defaults to True.
        seed (int, optional): Seed of the streams; ``None`` draws one shared
            by all ranks. mmengine passes the experiment's seed.
    """

    def __init__(self,
                 dataset: Sized,
                 batch_size: int,
                 source_ratio: Sequence[float] = (1, 1),
                 shuffle: bool = True,
                 seed: Optional[int] = None) -> None:
        if not isinstance(dataset, ConcatDataset):
            raise TypeError(
                'MultiSourceSampler needs a ConcatDataset of the sources, got '
                f'{type(dataset).__name__}; wrap them as dataset=dict(type='
                "'ConcatDataset', datasets=[labeled, unlabeled]).")
        if (isinstance(batch_size, bool) or not isinstance(batch_size, int)
                or batch_size < 1):
            raise ValueError(
                f'batch_size must be a positive int, got {batch_size!r}.')
        num_sources = len(dataset.datasets)
        if (isinstance(source_ratio, str)
                or not isinstance(source_ratio, Sequence)
                or len(source_ratio) != num_sources):
            raise ValueError(
                f'source_ratio {source_ratio!r} must give one share per '
                f'source: the ConcatDataset has {num_sources} sources.')
        if not all(isinstance(r, Number) and r > 0 for r in source_ratio):
            raise ValueError(
                f'source_ratio {list(source_ratio)} must be positive numbers.')
        sizes = [len(d) for d in dataset.datasets]
        empty = [i for i, n in enumerate(sizes) if n == 0]
        if empty:
            raise ValueError(
                f'source(s) {empty} of the ConcatDataset are empty (sizes '
                f'{sizes}); check their ann_file / data_root.')
        total = float(sum(source_ratio))
        counts = [int(batch_size * r / total) for r in source_ratio]
        counts[0] += batch_size - sum(counts)
        if min(counts) == 0:
            raise ValueError(
                f'batch_size={batch_size} with source_ratio '
                f'{list(source_ratio)} gives per-source counts {counts}: a '
                'source would never be sampled. Raise batch_size or make '
                'the ratio less extreme.')

        self.dataset = dataset
        self.batch_size = batch_size
        self.source_ratio = list(source_ratio)
        self.shuffle = shuffle
        self.rank, self.world_size = get_dist_info()
        self.seed = sync_random_seed() if seed is None else int(seed)
        self.sizes = sizes
        self.offsets = [0] + list(itertools.accumulate(sizes))[:-1]
        self.num_per_source = counts

    def _source_stream(self, source: int) -> Iterator[int]:
        """Infinite local indices of one source, for every rank."""
        size = self.sizes[source]
        rng = np.random.default_rng([self.seed % 2**64, source])
        while True:
            if self.shuffle:
                yield from rng.permutation(size).tolist()
            else:
                yield from range(size)

    def _rank_stream(self, source: int) -> Iterator[int]:
        """This rank's share of a source's stream, as global indices."""
        offset = self.offsets[source]
        stream = itertools.islice(
            self._source_stream(source), self.rank, None, self.world_size)
        return (offset + i for i in stream)

    def __iter__(self) -> Iterator[int]:
        """Yield global indices forever, ``batch_size`` per batch.

        Yields:
            int: An index into the ConcatDataset.
        """
        streams = [self._rank_stream(s) for s in range(len(self.sizes))]
        while True:
            for stream, count in zip(streams, self.num_per_source):
                yield from itertools.islice(stream, count)

    def __len__(self) -> int:
        """The ConcatDataset's length (nominal: the stream is infinite)."""
        return len(self.dataset)

    def set_epoch(self, epoch: int) -> None:
        """No-op: the streams are infinite and never restart."""

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(batch_size={self.batch_size}, '
                f'source_ratio={self.source_ratio}, num_per_source='
                f'{self.num_per_source}, shuffle={self.shuffle}, '
                f'seed={self.seed})')

