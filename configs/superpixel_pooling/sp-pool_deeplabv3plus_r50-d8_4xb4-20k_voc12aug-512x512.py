# DeepLabV3+ R50 on PASCAL VOC 2012 aug with superpixel pooling: the
# supervised recipe of ../deeplabv3plus/deeplabv3plus_r50-d8_4xb4-20k_
# voc12aug-512x512.py, its decode head wrapped in a SuperpixelPoolingHead.
# The shipped AINet (frozen) labels each batch in the data preprocessor with
# superpixels of mean side 16 px (~1000 per 512x512 crop, the AINet cell
# size); the logits are averaged per superpixel at input resolution. The
# auxiliary FCN head is left as it is. Use whole-image inference (the
# superpixels of slide crops are not known).
#   python tools/train.py configs/superpixel_pooling/<this file> \
#       --cfg-options data_root=/path/to/VOCdevkit/VOC2012
_base_ = ['../deeplabv3plus/deeplabv3plus_r50-d8_4xb4-20k_voc12aug-512x512.py']
data_preprocessor = dict(
    type='SuperpixelDataPreProcessor',
    superpixel_method='ainet', segment_size=16)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(
        _delete_=True,
        type='SuperpixelPoolingHead',
        head={{_base_.model.decode_head}},
        pool='logits'),  # mode='hard', logit_resolution='input'
    test_cfg=dict(mode='whole'))
val_evaluator = dict(type='BoundaryIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
