"""Build a learned superpixel network (a ``SuperpixelSegmentor``) for
inference: the shipped default or any config and checkpoint."""
import os.path as osp
from typing import Optional, Union

import torch
from mmcv.cnn import fuse_conv_bn
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmsuperpix.registry import MODELS
from mmsuperpix.utils import load_local_checkpoint, load_state_dict_checked
from .protocol import check_precision

MODEL_ZOO = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                     'model_zoo')
#: The shipped default model: SSN's clustering head on SCN, trained on
#: BSDS500 train with mmsuperpix.
DEFAULT_CONFIG = osp.join(MODEL_ZOO, 'ssn_scn_bsds500.py')
DEFAULT_CHECKPOINT = osp.join(MODEL_ZOO, 'ssn_scn_bsds500.pth')
#: The shipped AINet (Wang et al., ICCV 2021), trained the same way.
AINET_CONFIG = osp.join(MODEL_ZOO, 'ainet_bsds500.py')
AINET_CHECKPOINT = osp.join(MODEL_ZOO, 'ainet_bsds500.pth')


def init_superpixel_model(config: Optional[Union[str, Config]] = None,
                          checkpoint: Optional[str] = None,
                          device: str = 'cpu',
                          fuse: bool = True,
                          precision: Optional[str] = None,
                          allow_unsafe_checkpoint: Optional[bool] = None
                          ) -> torch.nn.Module:
    """Build a superpixel model for inference.

    Args:
        config (str | Config, optional): A config whose ``model`` is a
            ``SuperpixelSegmentor``. None: the shipped default model.
        checkpoint (str, optional): Weights to load. None with ``config``
            None: the shipped weights; None with a config: random weights.
        device (str): Torch device. Defaults to ``'cpu'``.
        fuse (bool): Fold BatchNorm into the preceding convolutions (same
            outputs, faster). Defaults to True.
        precision (str, optional): ``'float32'``, ``'bfloat16'`` (about
            twice as fast on CPUs with AVX512-BF16 or AMX; on BSDS500 val
            the metrics matched float32 to 1e-4) or ``'auto'`` (bfloat16
            where the CPU supports it natively). None keeps the config's
            ``test_cfg.precision`` (``'auto'`` for the shipped model).
        allow_unsafe_checkpoint (bool, optional): Unpickle the checkpoint
            fully (runs code from the file; only for files you trust that
            the safe loader refuses). None: the process-wide setting
            (``--allow-unsafe-checkpoint`` of the tools), off by default.

    Returns:
        nn.Module: The model in eval mode, with ``cfg`` attached.

    Raises:
        CheckpointError: The checkpoint is damaged, refused by the safe
            loader, or holds the weights of another model.
    """
    if config is None:
        config = DEFAULT_CONFIG
        checkpoint = checkpoint or DEFAULT_CHECKPOINT
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config {config!r} does not exist')
        config = Config.fromfile(config)
    if 'model' not in config:
        raise ValueError('the config has no `model` entry')
    init_default_scope(config.get('default_scope', 'mmseg'))
    model = MODELS.build(config.model)
    if not hasattr(model, 'predict_superpixel_batch'):
        raise TypeError(
            f'{type(model).__name__} does not predict superpixels; use a '
            'config whose model is a SuperpixelSegmentor')
    if checkpoint is not None:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'checkpoint {checkpoint!r} does not exist' +
                (' (the shipped default weights are missing from this '
                 'installation; reinstall mmsuperpix or pass checkpoint=)'
                 if checkpoint == DEFAULT_CHECKPOINT else ''))
        weights = load_local_checkpoint(checkpoint, 'cpu',
                                        allow_unsafe_checkpoint)
        load_state_dict_checked(model, weights.get('state_dict', weights),
                                checkpoint)
    if precision is not None:
        check_precision(precision, 'precision')
        model.test_cfg['precision'] = precision
    model.cfg = config
    model.to(device).eval()
    if fuse:
        model = fuse_conv_bn(model)
    # keep the fused weights in the layout the inputs use
    return model.to(memory_format=model.memory_format)
