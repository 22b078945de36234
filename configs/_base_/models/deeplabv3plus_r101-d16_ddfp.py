# DeepLabV3+ as DDFP / UniMatch build it: ResNet-101 (deep stem), output
# stride 16 (dilation only in the last stage), ASPP dilations 6/12/18,
# 256-channel decoder, 48-channel low-level branch, no auxiliary head.
# ImageNet weights: mmseg's ResNet-101-V1c, from a local file
# (`pretrained_backbone`, checked before training starts). The batch is
# padded to the top-level `crop_size` of the dataset config.
norm_cfg = dict(type='SyncBN', requires_grad=True)
num_classes = 21  # --cfg-options num_classes=N sets every head and DDFP's flow
pretrained_backbone = 'checkpoints/resnet101_v1c-e67eebb6.pth'
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size='${crop_size}')
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNetV1c',
        depth=101,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        dilations=(1, 1, 1, 2),
        strides=(1, 2, 2, 1),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True,
        init_cfg=dict(type='Pretrained', checkpoint='${pretrained_backbone}')),
    decode_head=dict(
        type='DepthwiseSeparableASPPHead',
        in_channels=2048,
        in_index=3,
        channels=256,
        dilations=(1, 6, 12, 18),
        c1_in_channels=256,
        c1_channels=48,
        dropout_ratio=0.1,
        num_classes=num_classes,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0,
            avg_non_ignore=True)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
