# Supervised DeepLabV3+ R50 on PASCAL VOC 2012 aug (10582 train_aug images):
# mmseg's recipe, with mmsuperpix's VOC data wiring (splits/train_aug.txt +
# SegmentationClassAug, as the semi-supervised methods use).
# The ImageNet backbone is fetched from open-mmlab:// on first use; offline,
# pass a local file: --cfg-options model.pretrained=/path/resnet50_v1c.pth
_base_ = [
    '../_base_/models/deeplabv3plus_r50-d8.py',
    '../_base_/datasets/pascal_voc12_aug.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_20k.py'
]
data_preprocessor = dict(size='${crop_size}')
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(num_classes=21),
    auxiliary_head=dict(num_classes=21))
