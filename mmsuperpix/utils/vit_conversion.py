"""timm / DeiT / DINO ViT weights in the layout of mmseg's
``VisionTransformer``.

The key mapping is mmseg 1.2.2's ``tools/model_converters/vit2mmseg.py``
(Copyright OpenMMLab, Apache-2.0), with the wrappers of DINO training
checkpoints (``teacher``/``student``, ``module.``, ``backbone.``) removed
first. To reproduce timm's features, build mmseg's ViT with
``norm_cfg=dict(type='LN', eps=1e-6)`` (timm's LayerNorm eps) and
``patch_bias=True`` (mmseg's default drops the patch embedding's bias,
which timm has); ``tests/test_utils/test_vit_conversion.py`` checks it.
"""
from collections import OrderedDict
from typing import Dict

import torch

#: Prefixes of DINO / DDP training checkpoints, stripped in this order.
WRAPPER_PREFIXES = ('module.', 'backbone.')


def vit_state_dict(checkpoint: dict) -> Dict[str, torch.Tensor]:
    """The ViT weights of a loaded checkpoint: a plain state dict, timm's
    ``state_dict``, DeiT's ``model``, or a DINO training checkpoint's
    ``teacher`` (its ``student`` if no teacher)."""
    for key in ('teacher', 'student', 'state_dict', 'model'):
        if isinstance(checkpoint.get(key), dict):
            checkpoint = checkpoint[key]
            break
    weights = OrderedDict()
    for name, value in checkpoint.items():
        for prefix in WRAPPER_PREFIXES:
            if name.startswith(prefix):
                name = name[len(prefix):]
        weights[name] = value
    return weights


def timm_vit_to_mmseg(state_dict: Dict[str, torch.Tensor]
                      ) -> Dict[str, torch.Tensor]:
    """Rename timm ViT keys to mmseg's (classifier and DINO head dropped).

    Raises:
        ValueError: The weights hold no ViT blocks (not a ViT checkpoint).
    """
    converted = OrderedDict()
    for key, value in state_dict.items():
        if key.startswith('head'):
            continue
        if key.startswith('norm'):
            key = key.replace('norm.', 'ln1.')
        elif key.startswith('patch_embed'):
            key = key.replace('proj', 'projection')
        elif key.startswith('blocks'):
            key = (key.replace('norm', 'ln')
                   .replace('mlp.fc1', 'ffn.layers.0.0')
                   .replace('mlp.fc2', 'ffn.layers.1')
                   .replace('attn.qkv.', 'attn.attn.in_proj_')
                   .replace('attn.proj', 'attn.attn.out_proj')
                   .replace('blocks.', 'layers.'))
        converted[key] = value
    if not any(k.startswith('layers.') for k in converted):
        raise ValueError('no ViT blocks (keys "blocks.N...") in these '
                         'weights: pass a timm, DeiT or DINO ViT checkpoint')
    return converted
