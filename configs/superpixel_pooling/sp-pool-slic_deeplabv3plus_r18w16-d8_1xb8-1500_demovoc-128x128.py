# Superpixel pooling on the demo data with superpixels made in the data
# pipeline (OpenCV SLIC, mean side 8 px, after the geometric transforms)
# instead of by a frozen model: GenerateSuperpixels + PackSuperpixelInputs,
# and SuperpixelDataPreProcessor pads the maps with the batch.
_base_ = ['./sp-pool_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py']
superpixels = dict(type='GenerateSuperpixels', method='opencv_slic',
                   segment_size=8)
train_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomResize',
        scale=(512, 192),
        ratio_range=(0.75, 1.5),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size='${crop_size}', cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    superpixels,
    dict(type='PhotoMetricDistortion'),
    dict(type='Pad', size='${crop_size}'),
    dict(type='PackSuperpixelInputs')
]
test_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='Resize', scale=(512, 192), keep_ratio=True),
    superpixels,
    dict(type='LoadAnnotations'),
    dict(type='PackSuperpixelInputs')
]
data_preprocessor = dict(superpixel_method=None, segment_size=None)
model = dict(data_preprocessor=data_preprocessor)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
