"""The superpixels of a batch, as the superpixel pooling head reads them.

``SuperpixelDataPreProcessor`` leaves each sample's superpixels in its
metainfo (the only place mmseg's ``EncoderDecoder`` passes to
``decode_head.predict``): ``'superpixels'`` = ``(H, W)`` int64 labels aligned
with the padded input (-1 = no superpixel) and, from a method with a soft
association (a superpixel network),
``'superpixel_association'`` = ``(9, h, w)`` 9-neighbour association with
its cell side ``'superpixel_cell_size'``.
"""
from dataclasses import dataclass
from typing import List, Optional, Sequence

import torch
import torch.nn.functional as F

from mmsuperpix.superpixels import (ASSOCIATION_CELL_KEY, ASSOCIATION_KEY,
                                    LABELS_KEY)


def _missing(what: str) -> str:
    return (
        f'a sample has no {what} in its metainfo. Produce superpixels with '
        "GenerateSuperpixels or LoadSuperpixels + PackSuperpixelInputs in "
        'the pipeline, or with a superpixel_method, and use '
        "data_preprocessor=dict(type='SuperpixelDataPreProcessor', ...)")


def resize_nearest(labels: torch.Tensor, size) -> torch.Tensor:
    """Resize ``(N, H, W)`` integer/bool maps to ``size`` (nearest); the
    dtype is kept."""
    if tuple(labels.shape[-2:]) == tuple(size):
        return labels
    return F.interpolate(labels[:, None].float(), size=tuple(size),
                         mode='nearest')[:, 0].to(labels.dtype)


@dataclass
class SuperpixelBatch:
    """Superpixels of ``N`` images.

    Attributes:
        labels (Tensor, optional): ``(N, H, W)`` int64, negative = none.
        association (Tensor, optional): ``(N, 9, h, w)`` soft association
            to the 9 neighbouring cells of a grid (``h``, ``w`` multiples of
            its cell size).
        cell_size (int, optional): The association's cell side.
    """
    labels: Optional[torch.Tensor] = None
    association: Optional[torch.Tensor] = None
    cell_size: Optional[int] = None

    @classmethod
    def from_metas(cls, metas: Sequence[dict], need_labels: bool,
                   need_association: bool,
                   device: torch.device) -> 'SuperpixelBatch':
        """Stack the superpixels that the data preprocessor left in the
        metainfo of each sample.

        Raises:
            KeyError: a sample lacks what the head needs.
        """
        if not metas:
            raise ValueError('an empty batch has no superpixels')

        def stack(key: str, what: str) -> torch.Tensor:
            if any(key not in meta for meta in metas):
                raise KeyError(_missing(what))
            shapes = {tuple(meta[key].shape) for meta in metas}
            if len(shapes) > 1:
                raise ValueError(
                    f'the {what} of a batch differ in size {sorted(shapes)};'
                    ' pad them with SuperpixelDataPreProcessor')
            return torch.stack([meta[key] for meta in metas]).to(device)

        cell_size = None
        if need_association:
            sizes = {meta.get(ASSOCIATION_CELL_KEY) for meta in metas}
            if None in sizes:
                raise KeyError(_missing('association cell size'))
            if len(sizes) > 1:
                raise ValueError(f'the association cell sizes of a batch '
                                 f'differ: {sorted(sizes)}')
            cell_size, = sizes
        return cls(
            labels=stack(LABELS_KEY, 'superpixel labels')
            if need_labels else None,
            association=stack(ASSOCIATION_KEY, 'superpixel association')
            if need_association else None, cell_size=cell_size)

    @classmethod
    def cat(cls, batches: List['SuperpixelBatch']) -> 'SuperpixelBatch':
        """Concatenate batches along the image axis."""
        def join(name: str) -> Optional[torch.Tensor]:
            parts = [getattr(b, name) for b in batches]
            return None if parts[0] is None else torch.cat(parts)

        sizes = {b.cell_size for b in batches}
        if len(sizes) > 1:
            raise ValueError(f'cannot join associations on cells of '
                             f'different sizes {sorted(sizes)}')
        return cls(labels=join('labels'), association=join('association'),
                   cell_size=batches[0].cell_size)

    def __len__(self) -> int:
        present = self.labels if self.labels is not None else self.association
        return 0 if present is None else present.shape[0]

    def cutmix(self, masks: torch.Tensor) -> 'SuperpixelBatch':
        """The superpixels of CutMixed images: inside ``masks (N, H, W)``
        those of image ``i + 1`` (as :func:`cutmix` pastes images), with ids
        shifted so that pasted and kept superpixels never share an id."""
        labels = association = None
        if self.labels is not None:
            inside = masks.to(self.labels.device)
            shift = int(self.labels.max()) + 1
            pasted = self.labels.roll(-1, 0)
            labels = torch.where(inside, torch.where(
                pasted >= 0, pasted + shift, pasted), self.labels)
        if self.association is not None:
            inside = resize_nearest(masks, self.association.shape[-2:])
            association = torch.where(inside[:, None].to(
                self.association.device),
                                      self.association.roll(-1, 0),
                                      self.association)
        return SuperpixelBatch(labels=labels, association=association,
                               cell_size=self.cell_size)
