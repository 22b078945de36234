# DINO self-supervised pretraining of a ViT-Tiny/8 on the images of the
# embedded demo data's train split, WITHOUT their labels (the pipeline never
# loads an annotation): the frozen backbone of the NeuralEF demo
# (../neuralef/neuralef_dino-vit-t8_1xb8-1500_demovoc-128x128.py).
# DINO's recipe (ViT-S/16, ImageNet: 2 global crops of 224 at scale
# 0.4-1, 8-10 local crops of 96 at scale 0.05-0.4, 65,536 prototypes,
# teacher temperature 0.04 -> 0.07, momentum 0.996 -> 1) scaled to 2 CPU
# cores and 400 images of 160-256 px: patch 8, global crops 128 (16 x 16
# tokens, the NeuralEF demo's grid), 6 local crops of 56 (7 x 7 tokens,
# the paper's 96/224 ratio), 8,192 prototypes, batch 32. Export the
# teacher's backbone for NeuralEF (mmseg's VisionTransformer reads plain
# backbone keys):
#   python tools/model_converters/export_checkpoint.py \
#       work_dirs/dino_vit-t8/iter_3000.pth \
#       work_dirs/dino_vit-t8_demovoc.pth --submodule teacher.backbone
_base_ = [
    '../_base_/datasets/demo_voc.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_dino_cosine.py'
]
crop_size = (128, 128)
local_crop_size = (56, 56)
num_local_crops = 6  # not late-bound: the view names are built below
out_dim = 8192
photometric = dict(
    type='StrongPhotometricAugment',
    brightness=0.4,
    contrast=0.4,
    saturation=0.2,
    hue=0.1,
    jitter_prob=0.8,
    gray_prob=0.2)
global_0 = [
    dict(type='RandomResizedCrop', size='${crop_size}', scale=(0.4, 1.0)),
    dict(type='RandomFlip', prob=0.5),
    dict(**photometric, blur_prob=1.0),
    dict(type='PackSegInputs')
]
global_1 = [
    dict(type='RandomResizedCrop', size='${crop_size}', scale=(0.4, 1.0)),
    dict(type='RandomFlip', prob=0.5),
    dict(**photometric, blur_prob=0.1, solarize_prob=0.2),
    dict(type='PackSegInputs')
]
local_view = [
    dict(
        type='RandomResizedCrop', size='${local_crop_size}',
        scale=(0.05, 0.4)),
    dict(type='RandomFlip', prob=0.5),
    dict(**photometric, blur_prob=0.5),
    dict(type='PackSegInputs')
]
local_views = {f'local_{i}': local_view for i in range(num_local_crops)}
train_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(
        type='MultiBranch',
        branch_field=['global_0', 'global_1', *local_views],
        global_0=global_0,
        global_1=global_1,
        **local_views)
]
train_dataloader = dict(
    batch_size='${batch_size}',
    num_workers=2,
    persistent_workers=True,
    dataset=dict(pipeline=train_pipeline))
model = dict(
    type='DINO',
    data_preprocessor=dict(
        type='MultiBranchDataPreprocessor',
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True,
            size_divisor=8)),
    backbone=dict(
        type='VisionTransformer',
        img_size='${crop_size}',
        patch_size=8,
        embed_dims=192,
        num_layers=12,
        num_heads=3,
        mlp_ratio=4,
        out_indices=(11, ),
        qkv_bias=True,
        patch_bias=True,
        drop_path_rate=0.1,
        with_cls_token=True,
        output_cls_token=True,
        final_norm=True,
        norm_cfg=dict(type='LN', eps=1e-6),
        act_cfg=dict(type='GELU'),
        interpolate_mode='bicubic'),
    head=dict(type='DINOHead', in_channels=192, out_dim='${out_dim}'),
    loss=dict(type='DINOLoss', out_dim='${out_dim}'),
    pooling='cls',
    teacher_temp=(0.04, 0.07),
    teacher_temp_warmup=0.3,
    momentum=(0.996, 1.0),
    freeze_last_layer=0.01,
    # bfloat16 autocast where the CPU has native support (AMX / AVX512-BF16)
    mixed_precision='auto')
# no labels: no validation or test data
val_dataloader = None
val_evaluator = None
test_dataloader = None
test_evaluator = None
custom_hooks = [dict(type='MetricCurvesHook'), dict(type='DINOHook')]
randomness = dict(seed=0)
