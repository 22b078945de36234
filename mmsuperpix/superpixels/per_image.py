"""Per-image optimised superpixel networks (RIM, Eliasof et al.) behind
the superpixel-method interface."""
import sys
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.utils import ProgressBar

from mmsuperpix.registry import MODELS, TASK_UTILS
from .base import SuperpixelMethod
from .protocol import (check_precision, connected_superpixels,
                       precision_context, upsample_labels)


def standardised_inputs(rgb: torch.Tensor) -> torch.Tensor:
    """RIM's input: RGB and the pixel coordinates, each channel of each
    image standardised (zero mean, unit variance).

    Args:
        rgb (Tensor): ``(G, 3, H, W)`` float RGB.

    Returns:
        Tensor: ``(G, 5, H, W)`` float32: R, G, B, row, column.
    """
    images, _, height, width = rgb.shape
    rows = torch.arange(height, dtype=torch.float32, device=rgb.device)
    cols = torch.arange(width, dtype=torch.float32, device=rgb.device)
    yx = torch.stack(torch.meshgrid(rows, cols, indexing='ij'))
    x = torch.cat([rgb.float(), yx.expand(images, 2, height, width)], 1)
    mean = x.mean((2, 3), keepdim=True)
    std = x.std((2, 3), keepdim=True).clamp_min(1e-6)
    return (x - mean) / std


@TASK_UTILS.register_module()
class PerImageSuperpixels(SuperpixelMethod):
    """Superpixels from a CNN optimised on each image alone, without
    labels: RIM (Suzuki, ICASSP 2020) and Eliasof, Ben Zikri, Treister
    (ICIP 2022), by config (``mmsuperpix/model_zoo/eliasof_icip2022.py``,
    ``rim_icassp2020.py``).

    For every image, a fresh :class:`UnsupervisedSuperpixelNet` with
    ``N`` superpixel channels is fitted to its standardised RGB + XY by Adam
    on :class:`UnsupervisedSuperpixelLoss`; the superpixels are the argmax
    of its ``N``-way softmax, brought to the image size (``nearest-exact``)
    and made 4-connected (fragments under 6% of ``HW / N`` merged, as RIM).
    ``N = round(superpixels_per_segment * n_segments)``: ``N`` is an upper
    bound and the clustering term's ``lam`` decides how many are used, so
    the actual count differs from ``N``.

    Images of one size are optimised ``batch_size`` at a time, each with its
    own weights (grouped convolutions): the result equals optimising them
    one by one, up to floating-point summation order. Every image starts
    from the same weights (drawn with ``seed``).

    Args:
        model (dict, optional): :class:`UnsupervisedSuperpixelNet` config
            without ``num_superpixels`` and ``num_images``; None = its
            defaults (the paper's network).
        loss (dict, optional): :class:`UnsupervisedSuperpixelLoss` config;
            None = its defaults (the paper's weights).
        num_iters (int): Adam steps per image. Defaults to 1000 (the paper).
        lr (float): Adam learning rate (no weight decay). Defaults to 0.01.
        input_size (int | tuple[int, int], optional): Optimise on the
            image resized (bilinear, antialiased) to ``(h, w)``, or so that
            its longer side is ``input_size`` (aspect kept); labels come
            back at full size. None = full resolution (the paper). The
            authors' script resizes to ``(128, 128)``.
        superpixels_per_segment (float): ``N / n_segments``. Defaults to
            1.0.
        batch_size (int): Images optimised at once. Defaults to 4.
        seed (int): Seed of the initial weights. Defaults to 0.
        device (str, optional): None = CUDA when available, else CPU.
        precision (str, optional): The network's autocast precision
            (``'bfloat16'``, ``'float16'``, ``'auto'``: bfloat16 on CPUs
            with native support); the losses stay in float32. None (the
            default) = float32, as the paper.
        progress (bool): Show a bar over the iterations. Defaults to False.
    """

    def __init__(self,
                 model: Optional[dict] = None,
                 loss: Optional[dict] = None,
                 num_iters: int = 1000,
                 lr: float = 0.01,
                 input_size: Union[None, int, Tuple[int, int]] = None,
                 superpixels_per_segment: float = 1.0,
                 batch_size: int = 4,
                 seed: int = 0,
                 device: Optional[str] = None,
                 precision: Optional[str] = None,
                 progress: bool = False) -> None:
        for name, value in (('num_iters', num_iters),
                            ('batch_size', batch_size)):
            if isinstance(value, bool) or not isinstance(value, int) or \
                    value < 1:
                raise ValueError(f'{name} must be a positive int, got '
                                 f'{value!r}')
        if not superpixels_per_segment > 0:
            raise ValueError(f'superpixels_per_segment must be positive, '
                             f'got {superpixels_per_segment!r}')
        if isinstance(input_size, int):
            input_size = (input_size, )
        if input_size is not None and (len(input_size) not in (1, 2)
                                       or min(input_size) < 2):
            raise ValueError(f'input_size must be None, a longer side or '
                             f'(h, w), all >= 2, got {input_size!r}')
        self.model_cfg = dict(model or dict(type='UnsupervisedSuperpixelNet'))
        self.loss = MODELS.build(
            loss or dict(type='UnsupervisedSuperpixelLoss'))
        self.num_iters, self.lr, self.seed = num_iters, lr, seed
        self.input_size = None if input_size is None else tuple(input_size)
        self.superpixels_per_segment = superpixels_per_segment
        check_precision(precision, 'precision')
        self.batch_size, self.progress = batch_size, progress
        self.precision = precision
        self.device = device or ('cuda'
                                 if torch.cuda.is_available() else 'cpu')

    def optimisation_size(self, height: int, width: int) -> Tuple[int, int]:
        """``(h, w)`` the network sees for an ``(H, W)`` image."""
        if self.input_size is None:
            return height, width
        if len(self.input_size) == 2:
            return self.input_size
        scale = self.input_size[0] / max(height, width)
        return (max(2, round(height * scale)), max(2, round(width * scale)))

    def num_superpixels(self, n_segments: int, height: int,
                        width: int) -> int:
        """``N``, the network's superpixel channels, for a request."""
        count = round(self.superpixels_per_segment * n_segments)
        return int(min(max(count, 1), height * width))

    def build_network(self, num_superpixels: int,
                      num_images: int) -> torch.nn.Module:
        """A freshly initialised network for ``num_images`` images."""
        network = MODELS.build(
            dict(self.model_cfg, num_superpixels=num_superpixels,
                 num_images=num_images))
        network.init_weights(torch.Generator().manual_seed(self.seed))
        return network

    def optimise(self, rgb: torch.Tensor, num_superpixels: int
                 ) -> Tuple[torch.Tensor, List[Dict[str, float]]]:
        """Fit one network per image and return its final logits.

        Args:
            rgb (Tensor): ``(G, 3, H, W)`` float RGB in 0..255.
            num_superpixels (int): ``N``.

        Returns:
            tuple: logits ``(G, N, h, w)`` at the optimisation size (the
            input size or ``(H, W)``) on ``self.device``, and the loss
            terms at each iteration (means over the images).
        """
        with torch.inference_mode(False), torch.enable_grad():
            rgb = rgb.detach().clone().float().to(self.device)
            size = self.optimisation_size(*rgb.shape[-2:])
            if size != tuple(rgb.shape[-2:]):
                rgb = F.interpolate(rgb, size, mode='bilinear',
                                    align_corners=False, antialias=True)
            inputs = standardised_inputs(rgb)
            network = self.build_network(num_superpixels, len(rgb))
            network.to(self.device).train()
            optimizer = torch.optim.Adam(network.parameters(), lr=self.lr)
            bar = ProgressBar(self.num_iters, file=sys.stdout) \
                if self.progress else None
            history = []
            for _ in range(self.num_iters):
                logits, reconstruction = self._forward(network, inputs)
                losses = self.loss(logits, reconstruction, inputs[:, :3])
                total = sum(losses.values())
                optimizer.zero_grad(set_to_none=True)
                total.sum().backward()
                optimizer.step()
                history.append(torch.stack(  # no device sync per step
                    [v.detach().mean() for v in (total, *losses.values())]))
                if bar is not None:
                    bar.update()
            if bar is not None:
                print()
            with torch.no_grad():
                logits, _ = self._forward(network, inputs)
        names = ('loss', *losses)
        values = torch.stack(history).cpu().tolist()
        return logits.detach(), [dict(zip(names, v)) for v in values]

    def _forward(self, network: torch.nn.Module, inputs: torch.Tensor
                 ) -> Tuple[torch.Tensor, torch.Tensor]:
        """The network at :attr:`precision`; float32 outputs."""
        with precision_context(self.precision, inputs.device.type):
            logits, reconstruction = network(inputs)
        return logits.float(), reconstruction.float()

    def segment_batch(self, rgb: torch.Tensor, n_segments: int
                      ) -> Tuple[torch.Tensor, None]:
        """Labels ``(G, H, W)`` int64 on ``rgb``'s device of ``rgb (G, 3,
        H, W)`` float images in 0..255, optimised ``batch_size`` at a time;
        no association."""
        rgb = rgb.detach().round().clamp(0, 255)  # as the uint8 path
        height, width = rgb.shape[-2:]
        count = self.num_superpixels(
            n_segments, *self.optimisation_size(height, width))
        labels = []
        for start in range(0, len(rgb), self.batch_size):
            logits, _ = self.optimise(rgb[start:start + self.batch_size],
                                      count)
            hard = upsample_labels(logits.argmax(1), (height, width))
            labels.append(connected_superpixels(hard, count))
        return torch.cat(labels).to(rgb.device), None

    def segment(self, image: np.ndarray, n_segments: int) -> np.ndarray:
        """Labels ``(H, W)`` int32 of a uint8 BGR image."""
        rgb = torch.from_numpy(image[..., ::-1].copy()).permute(2, 0, 1)
        labels, _ = self.segment_batch(rgb[None].float(), n_segments)
        return labels[0].to(torch.int32).cpu().numpy()

    def segment_group(self, images: Sequence[np.ndarray],
                      n_segments: int) -> List[np.ndarray]:
        """Labels of checked uint8 BGR images, same-sized ones optimised
        together."""
        by_size: Dict[tuple, List[int]] = {}
        for index, image in enumerate(images):
            by_size.setdefault(image.shape[:2], []).append(index)
        results: List[Optional[np.ndarray]] = [None] * len(images)
        for (height, width), indices in by_size.items():
            count = min(n_segments, height * width)
            rgb = torch.from_numpy(np.stack(
                [images[i][..., ::-1] for i in indices])).permute(0, 3, 1, 2)
            labels, _ = self.segment_batch(rgb.float(), count)
            for i, label in zip(indices, labels):
                results[i] = label.to(torch.int32).cpu().numpy()
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(model={self.model_cfg!r}, '
                f'num_iters={self.num_iters}, input_size={self.input_size})')
