"""Fit the k-means baseline (``KMeansHead``) on frozen backbone tokens."""
import sys
from typing import Iterable

import torch
from mmengine.utils import ProgressBar


@torch.no_grad()
def fit_kmeans_head(model: torch.nn.Module,
                    dataloader: Iterable,
                    tokens_per_image: int = 256,
                    seed: int = 0,
                    progress: bool = True) -> int:
    """Run the model's frozen backbone over ``dataloader`` (one pass),
    keep up to ``tokens_per_image`` random tokens of every image and fit
    ``model.decode_head`` (a ``KMeansHead``) on them.

    Args:
        model (nn.Module): An mmseg segmentor whose ``decode_head`` is a
            ``KMeansHead`` (its backbone weights loaded).
        dataloader (Iterable): Batches as mmengine dataloaders give them;
            it must end (a ``DefaultSampler``, not the ``InfiniteSampler``
            of iteration-based training).
        tokens_per_image (int): Tokens sampled per image. Defaults to 256.
        seed (int): Seed of the sampling. Defaults to 0.
        progress (bool): Show a bar over the batches. Defaults to True.

    Returns:
        int: The number of tokens the centres were fitted on.
    """
    head = model.decode_head
    if not hasattr(head, 'fit') or not hasattr(head, 'tokens'):
        raise TypeError(f'the decode head is a {type(head).__name__}, not a '
                        'KMeansHead')
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    total = len(dataloader) if hasattr(dataloader, '__len__') else 0
    bar = ProgressBar(total, file=sys.stdout) if progress and total else None
    picked = []
    for data in dataloader:
        data = model.data_preprocessor(data, False)
        tokens = head.tokens(model.extract_feat(data['inputs']))  # (B, T, C)
        keep = min(tokens_per_image, tokens.shape[1])
        order = torch.rand(tokens.shape[:2], generator=generator).argsort(1)
        index = order[:, :keep].to(tokens.device)
        picked.append(torch.gather(
            tokens, 1, index[..., None].expand(-1, -1, tokens.shape[2]))
                      .flatten(0, 1).cpu())
        if bar is not None:
            bar.update()
    if not picked:
        raise ValueError('the dataloader gave no images to fit k-means on')
    tokens = torch.cat(picked)
    if len(tokens) < head.num_classes:
        raise ValueError(f'{len(tokens)} tokens cannot make '
                         f'{head.num_classes} clusters: use more images or '
                         'a larger tokens_per_image')
    head.fit(tokens.to(head.centres.device))
    return len(tokens)
