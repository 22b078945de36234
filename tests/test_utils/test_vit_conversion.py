"""timm-layout ViT weights -> mmseg's VisionTransformer, loaded through its
real ``init_cfg=Pretrained`` path, give the same tokens.

timm itself needs torchvision, which this project does not install; the
reference below is timm's ViT forward written out (pre-norm blocks, fused
qkv, GELU MLP, final LayerNorm with eps 1e-6) on timm's key names.
"""
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope

from conftest import REPO
from mmsuperpix.registry import MODELS
from mmsuperpix.utils import timm_vit_to_mmseg, vit_state_dict

D, HEADS, DEPTH, PATCH, SIZE = 32, 4, 3, 16, 48


def timm_weights(seed=0):
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g) * 0.2  # noqa: E731
    w = {'cls_token': r(1, 1, D), 'pos_embed': r(1, 1 + (SIZE // PATCH)**2, D),
         'patch_embed.proj.weight': r(D, 3, PATCH, PATCH),
         'patch_embed.proj.bias': r(D), 'norm.weight': 1 + r(D),
         'norm.bias': r(D), 'head.weight': r(10, D), 'head.bias': r(10)}
    for i in range(DEPTH):
        p = f'blocks.{i}.'
        w.update({p + 'norm1.weight': 1 + r(D), p + 'norm1.bias': r(D),
                  p + 'attn.qkv.weight': r(3 * D, D),
                  p + 'attn.qkv.bias': r(3 * D),
                  p + 'attn.proj.weight': r(D, D), p + 'attn.proj.bias': r(D),
                  p + 'norm2.weight': 1 + r(D), p + 'norm2.bias': r(D),
                  p + 'mlp.fc1.weight': r(4 * D, D),
                  p + 'mlp.fc1.bias': r(4 * D),
                  p + 'mlp.fc2.weight': r(D, 4 * D), p + 'mlp.fc2.bias': r(D)})
    return w


def timm_forward(w, x):
    """Patch tokens after the final norm, ``(B, h*w, D)``."""
    x = F.conv2d(x, w['patch_embed.proj.weight'], w['patch_embed.proj.bias'],
                 stride=PATCH).flatten(2).transpose(1, 2)
    x = torch.cat([w['cls_token'].expand(len(x), -1, -1), x], 1)
    x = x + w['pos_embed']
    ln = lambda t, p: F.layer_norm(t, (D, ), w[p + '.weight'],  # noqa: E731
                                   w[p + '.bias'], eps=1e-6)
    for i in range(DEPTH):
        p = f'blocks.{i}.'
        b, n, _ = x.shape
        qkv = F.linear(ln(x, p + 'norm1'), w[p + 'attn.qkv.weight'],
                       w[p + 'attn.qkv.bias'])
        q, k, v = qkv.view(b, n, 3, HEADS, D // HEADS).permute(2, 0, 3, 1,
                                                               4)
        attn = (q @ k.transpose(-2, -1) * (D // HEADS)**-0.5).softmax(-1)
        out = (attn @ v).transpose(1, 2).reshape(b, n, D)
        x = x + F.linear(out, w[p + 'attn.proj.weight'],
                         w[p + 'attn.proj.bias'])
        h = F.gelu(F.linear(ln(x, p + 'norm2'), w[p + 'mlp.fc1.weight'],
                            w[p + 'mlp.fc1.bias']))
        x = x + F.linear(h, w[p + 'mlp.fc2.weight'], w[p + 'mlp.fc2.bias'])
    return ln(x, 'norm')[:, 1:]


@pytest.mark.parametrize('wrap', ['plain', 'dino'])
def test_converted_weights_reproduce_timm_tokens(tmp_path, wrap):
    weights = timm_weights()
    checkpoint = weights if wrap == 'plain' else dict(
        teacher={f'module.backbone.{k}': v for k, v in weights.items()})
    src, dst = tmp_path / 'timm.pth', tmp_path / 'mmseg.pth'
    torch.save(checkpoint, src)
    proc = subprocess.run([sys.executable, 'tools/model_converters/'
                           'vit2mmseg.py', str(src), str(dst)], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    init_default_scope('mmseg')
    vit = MODELS.build(dict(
        type='VisionTransformer', img_size=(SIZE, SIZE), patch_size=PATCH,
        embed_dims=D, num_layers=DEPTH, num_heads=HEADS, out_indices=(0, 2),
        final_norm=True, norm_cfg=dict(type='LN', eps=1e-6), patch_bias=True,
        init_cfg=dict(type='Pretrained', checkpoint=str(dst))))
    vit.init_weights()
    vit.eval()
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.no_grad():
        ours = vit(x)[-1].flatten(2).transpose(1, 2)
        theirs = timm_forward(weights, x)
    assert torch.allclose(ours, theirs, atol=1e-4)


def test_not_a_vit_is_refused(tmp_path):
    with pytest.raises(ValueError, match='no ViT blocks'):
        timm_vit_to_mmseg(vit_state_dict({'conv1.weight': torch.zeros(1)}))
    proc = subprocess.run([sys.executable, 'tools/model_converters/'
                           'vit2mmseg.py', str(tmp_path / 'none.pth'),
                           str(tmp_path / 'o.pth')], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode != 0 and 'download the ViT weights' in proc.stderr
