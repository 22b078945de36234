# DDFP on the demo data (../demo/ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_
# demovoc-128x128.py) with the student's and teacher's DeepLabV3+ head
# wrapped in a SuperpixelPoolingHead: pseudo-labels, the student's clean and
# density-perturbed predictions are all pooled per superpixel (superpixels
# of CutMixed images are CutMixed with them). The shipped AINet labels every
# branch of the batch in the data preprocessor.
_base_ = ['../demo/ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py']
seg_preprocessor = dict(
    type='SuperpixelDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(128, 128),
    superpixel_model=dict(segment_size=8))
model = dict(
    data_preprocessor=dict(data_preprocessor=seg_preprocessor),
    segmentor=dict(
        data_preprocessor=dict(type='SuperpixelDataPreProcessor',
                               superpixel_model=dict(segment_size=8)),
        decode_head=dict(
            _delete_=True,
            type='SuperpixelPoolingHead',
            head={{_base_.model.segmentor.decode_head}},
            pool='logits',
            mode='hard',
            logit_resolution='input')),
    classifier='head.sep_bottleneck')
val_evaluator = dict(type='BoundaryIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
