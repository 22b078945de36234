"""Preprocess every branch of a semi-supervised batch with one preprocessor."""
from typing import Any, Dict, Optional

import torch
from mmengine.model import BaseDataPreprocessor

from mmsuperpix.registry import MODELS


@MODELS.register_module()
class MultiBranchDataPreprocessor(BaseDataPreprocessor):
    """Run a segmentation preprocessor on each branch of a training batch.

    The idea follows mmdetection 3.x's ``MultiBranchDataPreprocessor``; this
    is a fresh implementation. In training the batch is what mmengine's
    ``pseudo_collate`` makes of a list of ``MultiBranch`` outputs::

        {'inputs': {branch: [(3, H, W) uint8 Tensor or None, ...]},
         'data_samples': {branch: [SegDataSample or None, ...]}}

    with one entry per sample in every branch, ``None`` where the sample has
    no such view (a labeled sample has no ``unsup_*`` views). The ``None``
    entries are dropped and the wrapped preprocessor (``training=True``:
    BGR to RGB, normalisation, padding to ``size``, stacking) runs on each
    non-empty branch separately. The segmentor gets::

        {'inputs': {branch: (N_b, 3, H, W) float32 Tensor},
         'data_samples': {branch: [SegDataSample] * N_b}}

    with only the branches present in the batch, in the input order; the
    data samples keep the order of the batch. Outside training the wrapped
    preprocessor gets the (ordinary, single-branch) batch unchanged.

    Args:
        data_preprocessor (dict): Config of the wrapped preprocessor, e.g.
            ``dict(type='SegDataPreProcessor', mean=..., std=...,
            bgr_to_rgb=True, size=(512, 512))``.
    """

    def __init__(self, data_preprocessor: dict) -> None:
        super().__init__()
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor)
        if not isinstance(data_preprocessor, BaseDataPreprocessor):
            raise TypeError(
                'data_preprocessor must be the config of a data preprocessor, '
                "e.g. dict(type='SegDataPreProcessor', ...), got "
                f'{type(data_preprocessor).__name__}.')
        self.data_preprocessor = data_preprocessor

    @property
    def mean(self) -> Optional[torch.Tensor]:
        """(3, 1, 1) mean of the wrapped preprocessor, or None."""
        return getattr(self.data_preprocessor, 'mean', None)

    @property
    def std(self) -> Optional[torch.Tensor]:
        """(3, 1, 1) std of the wrapped preprocessor, or None."""
        return getattr(self.data_preprocessor, 'std', None)

    def forward(self, data: dict, training: bool = False) -> Dict[str, Any]:
        """Preprocess each branch in training, delegate otherwise.

        Args:
            data (dict): The collated batch (see the class docstring).
            training (bool): Whether this is a training step.

        Returns:
            dict: ``{'inputs': {branch: (N_b, 3, H, W) Tensor},
            'data_samples': {branch: list[SegDataSample]}}`` in training,
            else the wrapped preprocessor's output.
        """
        # nn.Module.to() moves the wrapped one's buffers, not its _device
        self.data_preprocessor._device = self._device
        if not training:
            return self.data_preprocessor(data, training=False)

        inputs = data.get('inputs') if isinstance(data, dict) else None
        samples = data.get('data_samples') if isinstance(data, dict) else None
        if not isinstance(inputs, dict) or not isinstance(samples, dict):
            raise TypeError(
                'MultiBranchDataPreprocessor expects in training a batch '
                "whose 'inputs' and 'data_samples' are dicts by branch; end "
                "the training pipelines with dict(type='MultiBranch', ...), "
                f'got inputs of type {type(inputs).__name__}.')
        if set(inputs) != set(samples):
            raise ValueError(
                f"the batch has inputs for branches {sorted(inputs)} but "
                f"data_samples for {sorted(samples)}; every MultiBranch must "
                'use the same branch_field.')
        out_inputs, out_samples = {}, {}
        for branch, branch_inputs in inputs.items():
            branch_samples = samples[branch]
            if len(branch_inputs) != len(branch_samples):
                raise ValueError(
                    f'branch {branch!r} has {len(branch_inputs)} inputs but '
                    f'{len(branch_samples)} data samples.')
            keep = [i for i, x in enumerate(branch_inputs) if x is not None]
            if any(branch_samples[i] is None for i in keep) or any(
                    s is not None and branch_inputs[i] is None
                    for i, s in enumerate(branch_samples)):
                raise ValueError(
                    f'branch {branch!r} has inputs and data samples that are '
                    'None for different samples; each branch pipeline must '
                    'end with PackSegInputs.')
            if not keep:
                continue
            result = self.data_preprocessor(
                dict(inputs=[branch_inputs[i] for i in keep],
                     data_samples=[branch_samples[i] for i in keep]),
                training=True)
            out_inputs[branch] = result['inputs']
            out_samples[branch] = result['data_samples']
        if not out_inputs:
            raise ValueError(
                'the training batch has no sample in any branch '
                f'{sorted(inputs)}; check the MultiBranch pipelines.')
        return dict(inputs=out_inputs, data_samples=out_samples)
