"""Unsupervised semantic segmentation by neural eigenfunctions on a frozen
backbone (Deng et al., ICCV 2023)."""
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmseg.models.segmentors import EncoderDecoder

from mmsuperpix.ops import feature_knn_graph, neuralef_kernel, pixel_knn_graph
from mmsuperpix.registry import MODELS
from ..utils.dense_crf import DenseCRF
from ..utils.input_images import preprocessor_rgb


@MODELS.register_module()
class NeuralEFSegmentor(EncoderDecoder):
    """mmseg's ``EncoderDecoder`` with a frozen backbone and a
    ``NeuralEFHead`` trained without labels against a graph kernel over the
    batch's patch tokens.

    Per training batch: the backbone's outputs (``(B, C_i, h, w)`` each) go
    to the head; the ``feature_index``-th of them (default the last: the
    final-norm tokens) builds the feature kNN graph across all images
    (:func:`~mmsuperpix.ops.feature_knn_graph`, ``feature_k``), the images
    downsampled to the ``h x w`` token grid (colours in ``[0, 1]``) build
    the pixel kNN graph within each image
    (:func:`~mmsuperpix.ops.pixel_knn_graph`, ``pixel_knn``), and the kernel
    ``A_feat + pixel_weight * A_pix`` (the paper's alpha, 0.3) goes to the
    head's loss. Prediction is ``EncoderDecoder``'s: the head's cluster
    logits, argmax = cluster id.

    Args:
        feature_k (int): Neighbours of the feature graph. Defaults to 256.
        pixel_knn (Sequence[tuple[int, float]]): ``(k, w)`` of the pixel
            graph. Defaults to ``((10, 2.0), (5, 0.1))``.
        pixel_weight (float): Defaults to 0.3.
        feature_index (int): Backbone output for the feature graph.
            Defaults to -1.
        high_level (str): ``'tokens'`` (the ``feature_index`` output) or
            ``'dino_keys'``: the keys of the last block's attention (the
            public code's choice with DINO backbones; an mmseg
            ``VisionTransformer`` backbone), appended to the backbone's
            outputs as their last level and used for the feature graph.
        **kwargs: ``EncoderDecoder`` arguments.
    """

    def __init__(self,
                 feature_k: int = 256,
                 pixel_knn: Sequence[Tuple[int, float]] = ((10, 2.0),
                                                           (5, 0.1)),
                 pixel_weight: float = 0.3,
                 feature_index: int = -1,
                 high_level: str = 'tokens',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.feature_k, self.pixel_knn = feature_k, tuple(
            tuple(p) for p in pixel_knn)
        if high_level not in ('tokens', 'dino_keys'):
            raise ValueError(f"high_level must be 'tokens' or 'dino_keys', "
                             f'got {high_level!r}')
        if high_level == 'dino_keys' and not hasattr(self.backbone, 'layers'):
            raise ValueError('high_level=dino_keys needs a ViT backbone '
                             "(mmseg's VisionTransformer)")
        self.pixel_weight, self.high_level = pixel_weight, high_level
        self.feature_index = -1 if high_level == 'dino_keys' else \
            feature_index
        self.backbone.requires_grad_(False)
        crf = (self.test_cfg or {}).get('crf')
        self.crf = None if crf is None else DenseCRF(**crf)

    def train(self, mode: bool = True) -> 'NeuralEFSegmentor':
        """The backbone stays in eval mode (frozen: dropout off, norms
        fixed)."""
        super().train(mode)
        self.backbone.eval()
        return self

    def extract_feat(self, inputs: torch.Tensor) -> List[torch.Tensor]:
        """Frozen backbone (and neck) features, without gradients; with
        ``high_level='dino_keys'`` the last block's attention keys
        ``(B, C, h, w)`` follow as the last level."""
        with torch.no_grad():
            if self.high_level == 'tokens':
                return list(super().extract_feat(inputs))
            layer, captured = self.backbone.layers[-1], []
            handle = layer.register_forward_pre_hook(
                lambda module, args: captured.append(args[0]))
            try:
                features = list(super().extract_feat(inputs))
            finally:
                handle.remove()
            return features + [self._attention_keys(
                layer, captured[0], features[0].shape[-2:])]

    @staticmethod
    def _attention_keys(layer: torch.nn.Module, tokens: torch.Tensor,
                        grid: Tuple[int, int]) -> torch.Tensor:
        """Keys ``(B, C, h, w)`` of an mmseg ``TransformerEncoderLayer``
        whose input was ``tokens (B, [1 +] h*w, C)`` (class token
        dropped)."""
        attention = layer.attn.attn  # nn.MultiheadAttention, fused in_proj
        width = tokens.shape[-1]
        bias = attention.in_proj_bias
        keys = F.linear(layer.norm1(tokens),
                        attention.in_proj_weight[width:2 * width],
                        None if bias is None else bias[width:2 * width])
        keys = keys[:, -grid[0] * grid[1]:]
        return keys.transpose(1, 2).reshape(len(keys), width, *grid)

    def image_colours(self, inputs: torch.Tensor,
                      size: Tuple[int, int]) -> torch.Tensor:
        """The (normalised) input batch back in ``[0, 1]`` RGB at ``size``
        ``(h, w)``: ``(B, 3, h, w)``."""
        images = preprocessor_rgb(self.data_preprocessor, inputs)
        images = F.interpolate(images.float(), size, mode='bilinear',
                               align_corners=False, antialias=True)
        return (images / 255).clamp(0, 1)

    def graph_kernel(self, inputs: torch.Tensor,
                     features: Sequence[torch.Tensor]) -> torch.Tensor:
        """The kernel ``(B*h*w, B*h*w)`` of a batch on the head's token grid
        ``(h, w)``, tokens in (image, row, column) order (the high-level
        features resized to that grid when they are coarser, as a CNN's
        deepest level)."""
        grid = self.decode_head.token_grid(features)
        high = features[self.feature_index]
        if tuple(high.shape[-2:]) != grid:
            high = F.interpolate(high, grid, mode='bilinear',
                                 align_corners=False)
        tokens = high.flatten(2).transpose(1, 2).flatten(0, 1)
        colours = self.image_colours(inputs, grid)
        return neuralef_kernel(
            feature_knn_graph(tokens, self.feature_k),
            pixel_knn_graph(colours, self.pixel_knn), self.pixel_weight)

    def loss(self, inputs: torch.Tensor,
             data_samples: Optional[list]) -> dict:
        features = self.extract_feat(inputs)
        kernel = self.graph_kernel(inputs, features)
        losses = self.decode_head.loss(features, data_samples,
                                       self.train_cfg, kernel=kernel)
        return {f'decode.{k}': v for k, v in losses.items()}

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[list] = None) -> list:
        """``EncoderDecoder.predict``, then the dense CRF of ``test_cfg.crf``
        (if any) on each image's cluster probabilities at its original
        size."""
        samples = super().predict(inputs, data_samples)
        if self.crf is None:
            return samples
        images = preprocessor_rgb(self.data_preprocessor, inputs)
        for image, sample in zip(images, samples):
            probs = sample.seg_logits.data.float().softmax(0)
            rgb = self._original_image(image, sample.metainfo,
                                       tuple(probs.shape[-2:]))
            marginals = self.crf(rgb, probs.cpu().numpy())
            sample.pred_sem_seg.data = torch.from_numpy(
                marginals.argmax(0)[None]).to(probs.device)
        return samples

    @staticmethod
    def _original_image(image: torch.Tensor, meta: dict,
                        size: Tuple[int, int]) -> np.ndarray:
        """``image (3, H, W)`` (RGB 0..255, as the model saw it) without its
        padding, unflipped and resized to ``size``: ``(h, w, 3)`` uint8, the
        geometry mmseg's ``postprocess_result`` gives the logits."""
        left, right, top, bottom = meta.get(
            'img_padding_size', meta.get('padding_size', [0] * 4))
        image = image[:, top:image.shape[1] - bottom,
                      left:image.shape[2] - right]
        if meta.get('flip'):
            image = image.flip(2 if meta.get('flip_direction') ==
                               'horizontal' else 1)
        image = F.interpolate(image[None].float(), size, mode='bilinear',
                              align_corners=False)[0]
        return image.round().clamp(0, 255).byte().permute(
            1, 2, 0).cpu().numpy()
