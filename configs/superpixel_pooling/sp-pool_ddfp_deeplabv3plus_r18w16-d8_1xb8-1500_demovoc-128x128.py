# DDFP on the demo data (../demo/ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_
# demovoc-128x128.py) with the student's and teacher's DeepLabV3+ head
# wrapped in a SuperpixelPoolingHead: pseudo-labels, the student's clean and
# density-perturbed predictions are all pooled per superpixel (superpixels
# of CutMixed images are CutMixed with them). The shipped AINet labels every
# branch of the batch in the data preprocessor.
_base_ = ['../demo/ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py']
# merged into the base's preprocessor configs (same normalisation and size)
superpixels = dict(
    type='SuperpixelDataPreProcessor',
    superpixel_method='ainet',
    segment_size=8)
model = dict(
    data_preprocessor=dict(data_preprocessor=superpixels),
    segmentor=dict(
        data_preprocessor=superpixels,
        decode_head=dict(
            _delete_=True,
            type='SuperpixelPoolingHead',
            head={{_base_.model.segmentor.decode_head}},
            pool='logits')),
    classifier='head.sep_bottleneck')
val_evaluator = dict(type='BoundaryIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
