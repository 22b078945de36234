# NeuralEF segmentation (Deng et al., ICCV 2023) on a frozen ViT-S/16: the
# tokens after block 0, block 6 and the final norm, concatenated (3 x 384),
# feed psi (2 pre-LN linear-attention blocks, 18 heads of 64, FFN 576) and
# its orthogonal map to K eigenfunctions; the kernel is the batch's feature
# kNN graph (k 256) + 0.3 x the pixel kNN graph; beta 0.08 for K 256.
# The backbone reads timm's vit_small_patch16_384 converted with
# tools/model_converters/vit2mmseg.py (nothing is downloaded); LN eps 1e-6
# and the patch-embedding bias as timm. Inputs normalised as the public code
# ("vit": mean = std = 127.5).
num_clusters = 256
pretrained_backbone = 'pretrain/vit-s16_384_mmseg.pth'
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[127.5, 127.5, 127.5],
    std=[127.5, 127.5, 127.5],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size='${crop_size}')
model = dict(
    type='NeuralEFSegmentor',
    data_preprocessor=data_preprocessor,
    feature_k=256,
    pixel_knn=((10, 2.0), (5, 0.1)),
    pixel_weight=0.3,
    # the feature graph on the final-norm tokens; 'dino_keys' takes the last
    # block's attention keys instead (the public code with DINO weights)
    high_level='tokens',
    backbone=dict(
        type='VisionTransformer',
        img_size='${crop_size}',
        patch_size=16,
        embed_dims=384,
        num_layers=12,
        num_heads=6,
        out_indices=(0, 6, 11),
        final_norm=True,
        patch_bias=True,
        norm_cfg=dict(type='LN', eps=1e-6),
        interpolate_mode='bicubic',
        init_cfg=dict(type='Pretrained', checkpoint='${pretrained_backbone}')),
    decode_head=dict(
        type='NeuralEFHead',
        in_channels=[384, 384, 384],
        in_index=[0, 1, 2],
        input_transform='resize_concat',
        num_classes='${num_clusters}',
        num_blocks=2,
        num_heads=18,
        head_dim=64,
        ffn_ratio=0.5,
        tau_max=1.0,
        tau_min=0.3,
        loss_decode=dict(type='NeuralEFLoss', beta=0.08, t=0.01)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
