# DDFP (../ddfp/ddfp_deeplabv3plus_r101-d16_4xb8-80e_voc12aug-513x513.py)
# with the student's and teacher's heads wrapped in a SuperpixelPoolingHead:
# pseudo-labels, clean and density-perturbed student predictions are all
# pooled over the shipped AINet's superpixels (mean side 16 px), computed on
# every branch of the batch by the data preprocessor.
#   python tools/train.py configs/superpixel_pooling/<this file> \
#       --cfg-options labeled_split=366 data_root=/path/to/VOCdevkit/VOC2012
_base_ = ['../ddfp/ddfp_deeplabv3plus_r101-d16_4xb8-80e_voc12aug-513x513.py']
superpixels = dict(
    type='SuperpixelDataPreProcessor',
    superpixel_method='ainet',
    segment_size=16)
model = dict(
    data_preprocessor=dict(data_preprocessor=superpixels),
    segmentor=dict(
        data_preprocessor=superpixels,
        decode_head=dict(
            _delete_=True,
            type='SuperpixelPoolingHead',
            head={{_base_.model.segmentor.decode_head}},
            pool='logits'),
        test_cfg=dict(mode='whole')),
    classifier='head.sep_bottleneck')
val_evaluator = dict(type='BoundaryIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
