# NeuralEF on the embedded demo data with a frozen ViT-Tiny/8 pretrained by
# DINO on the demo's train images WITHOUT their labels
# (../dino/dino_vit-t8_1xb32-1500_demovoc-128x128.py; the teacher's backbone
# exported with tools/model_converters/export_checkpoint.py --submodule
# teacher.backbone): the paper's setting at the demo's scale. Frozen ViT
# tokens after block 0, the middle block and the final norm, concatenated,
# feed psi; the feature graph is built on the last block's attention keys,
# as the public code does with DINO weights. A 128x128 crop gives 16x16
# tokens, as in the SCN-encoder demo. The k-means baseline on the same
# tokens: kmeans_dino-vit-t8_demovoc-128x128.py.
_base_ = ['./neuralef_scn-encoder_1xb8-1500_demovoc-128x128.py']
# the shipped export (fp16) of ../dino/dino_vit-t8_1xb32-1500_demovoc-128x128.py
# at iteration 1500, seed 0; a path relative to the repository root
pretrained_backbone = 'mmsuperpix/model_zoo/dino_vit-t8_demovoc.pth'
model = dict(
    high_level='dino_keys',
    data_preprocessor=dict(
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375]),
    backbone=dict(
        _delete_=True,
        type='VisionTransformer',
        img_size='${crop_size}',
        patch_size=8,
        embed_dims=192,
        num_layers=12,
        num_heads=3,
        mlp_ratio=4,
        out_indices=(0, 6, 11),
        qkv_bias=True,
        patch_bias=True,
        with_cls_token=True,
        final_norm=True,
        norm_cfg=dict(type='LN', eps=1e-6),
        act_cfg=dict(type='GELU'),
        interpolate_mode='bicubic',
        # mmseg's ViT loads the file itself and ignores a `prefix`
        init_cfg=dict(type='Pretrained', checkpoint='${pretrained_backbone}')),
    decode_head=dict(in_channels=[192, 192, 192], in_index=[0, 1, 2]))
