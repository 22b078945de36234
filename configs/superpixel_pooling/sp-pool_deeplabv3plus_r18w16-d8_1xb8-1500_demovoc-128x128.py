# Superpixel pooling on the embedded demo data: the supervised demo
# (../demo/deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py, same
# schedule and seed) with its DeepLabV3+ head wrapped in a
# SuperpixelPoolingHead. The superpixels come from the shipped AINet, run
# frozen on each batch by the data preprocessor (mean superpixel side 8 px:
# ~256 superpixels per 128x128 crop); the logits are upsampled to the input
# and averaged per superpixel, so predicted boundaries follow superpixel
# boundaries.
#   python tools/train.py configs/superpixel_pooling/<this file>
_base_ = ['../demo/deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py']
data_preprocessor = dict(
    type='SuperpixelDataPreProcessor',
    superpixel_method='ainet', segment_size=8)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(
        _delete_=True,
        type='SuperpixelPoolingHead',
        head={{_base_.model.decode_head}},
        pool='logits',
        mode='hard',
        logit_resolution='input'))
val_evaluator = dict(type='BoundaryIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
