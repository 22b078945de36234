"""The k-means baseline of NeuralEF segmentation as an mmseg decode head."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn.functional as F
from mmseg.models.decode_heads.decode_head import BaseDecodeHead

from mmsuperpix.ops import KMEANS_METRICS, kmeans
from mmsuperpix.registry import MODELS


@MODELS.register_module()
class KMeansHead(BaseDecodeHead):
    """k-means clusters of frozen backbone tokens (the paper's main
    comparison: the same features, the same ``K``, the same matching).

    The centres are a buffer ``(K, C)`` fitted once by :meth:`fit` on
    tokens of the training images (``mmsuperpix.apis.fit_kmeans_head`` /
    ``tools/fit_kmeans_head.py``) and saved with the model; prediction gives
    each token's similarity to every centre as logits, so the argmax is the
    nearest centre and mmseg's whole / slide inference work unchanged.
    It has no trainable parameters and no loss.

    Args:
        num_classes (int): ``K``.
        metric (str): ``'cosine'`` (L2-normalised tokens, spherical
            k-means) or ``'euclidean'``. Defaults to cosine.
        num_iters (int): Lloyd iterations of :meth:`fit`. Defaults to 100.
        seed (int): Seed of the k-means++ draws. Defaults to 0.
        **kwargs: ``BaseDecodeHead`` arguments (``in_channels``,
            ``in_index``, ``input_transform``).
    """

    def __init__(self, num_classes: int, metric: str = 'cosine',
                 num_iters: int = 100, seed: int = 0, **kwargs) -> None:
        if metric not in KMEANS_METRICS:
            raise ValueError(f'metric must be one of {KMEANS_METRICS}, got '
                             f'{metric!r}')
        in_channels = kwargs.get('in_channels', 0)
        kwargs.setdefault('channels', sum(in_channels) if isinstance(
            in_channels, (list, tuple)) else in_channels)
        super().__init__(num_classes=num_classes, dropout_ratio=0,
                         init_cfg=None, **kwargs)
        del self.conv_seg
        self.metric, self.num_iters, self.seed = metric, num_iters, seed
        self.register_buffer('centres',
                             torch.zeros(num_classes, self.in_channels))
        self.register_buffer('fitted', torch.tensor(False))

    def tokens(self, inputs: Sequence[torch.Tensor]) -> torch.Tensor:
        """The head's input tokens ``(B, h*w, C)``."""
        return self._transform_inputs(inputs).flatten(2).transpose(1, 2)

    @torch.no_grad()
    def fit(self, tokens: torch.Tensor) -> None:
        """Fit the centres to ``tokens (N, C)``."""
        self.centres.copy_(kmeans(tokens, self.num_classes, self.num_iters,
                                  self.metric, self.seed))
        self.fitted.fill_(True)

    def forward(self, inputs: Sequence[torch.Tensor]) -> torch.Tensor:
        """Logits ``(B, K, h, w)``: cosine similarity or negative squared
        distance to every centre."""
        if not bool(self.fitted):
            raise RuntimeError('KMeansHead has no centres yet: fit them with '
                               'tools/fit_kmeans_head.py and load that '
                               'checkpoint')
        x = self._transform_inputs(inputs)
        height, width = x.shape[-2:]
        tokens = x.flatten(2).transpose(1, 2)
        if self.metric == 'cosine':
            logits = F.normalize(tokens, dim=2) @ self.centres.T
        else:
            logits = -torch.cdist(tokens, self.centres[None]).square()
        return logits.transpose(1, 2).reshape(len(x), -1, height, width)

    def loss(self, inputs: Sequence[torch.Tensor], batch_data_samples: list,
             train_cfg: Optional[dict]) -> Dict[str, torch.Tensor]:
        raise RuntimeError('KMeansHead is not trained by gradients: fit it '
                           'with tools/fit_kmeans_head.py')
