"""Context managers around decode-head calls of the semi-supervised
segmentor: replace a block's input, capture its output, pool with
superpixels."""
from contextlib import contextmanager, nullcontext
from typing import Callable, Iterator, Optional

import torch
import torch.nn as nn
from mmseg.utils import SampleList

from ..utils.superpixel_batch import SuperpixelBatch


@contextmanager
def capture_output(module: nn.Module) -> Iterator[dict]:
    """Record the output of ``module``'s next call as ``['output']``."""
    store = {}

    def hook(_, args, output):
        store.setdefault('output', output)

    handle = module.register_forward_hook(hook)
    try:
        yield store
    finally:
        handle.remove()


@contextmanager
def replace_input(module: nn.Module,
                  edit: Callable[[torch.Tensor], torch.Tensor]
                  ) -> Iterator[None]:
    """Feed ``module``'s next call ``edit(input)`` instead of its first
    input; ``edit`` may call ``module`` itself (the hook is gone by then)."""
    handle = None

    def hook(_, args):
        handle.remove()
        return (edit(args[0]), *args[1:])

    handle = module.register_forward_pre_hook(hook)
    try:
        yield
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
