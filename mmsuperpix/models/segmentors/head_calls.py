"""Context managers around decode-head calls of the semi-supervised
segmentor: capture a block's input/output, pool with superpixels."""
from contextlib import contextmanager, nullcontext
from typing import Iterator, Optional

import torch
import torch.nn as nn
from mmseg.utils import SampleList

from ..utils.superpixel_batch import SuperpixelBatch


@contextmanager
def capture(module: nn.Module, what: str) -> Iterator[dict]:
    """Record the first input or the output of ``module``'s next call."""
    store = {}

    def hook(_, args, output):
        store.setdefault(what, args[0] if what == 'input' else output)

    handle = module.register_forward_hook(hook)
    try:
        yield store
    finally:
        handle.remove()


def superpixels_of(segmentor: nn.Module, samples: SampleList,
                   device: torch.device) -> Optional[SuperpixelBatch]:
    """The samples' superpixels if the decode head pools with them."""
    head = segmentor.decode_head
    if not hasattr(head, 'superpixels_from_metas'):
        return None
    return head.superpixels_from_metas([s.metainfo for s in samples], device)


def pooling(segmentor: nn.Module, superpixels: Optional[SuperpixelBatch]):
    """Context in which a superpixel pooling head uses ``superpixels``."""
    if superpixels is None:
        return nullcontext()
    return segmentor.decode_head.use_superpixels(superpixels)
