# DeepLabV3+ on a slim ResNet-18 (V1c stem, 16 base channels, output stride
# 8) that trains from scratch on a CPU in minutes: the demo-sized sibling of
# deeplabv3plus_r50-d8.py. BN instead of SyncBN, no auxiliary head.
_base_ = './deeplabv3plus_r50-d8.py'
norm_cfg = dict(type='BN', requires_grad=True)
num_classes = 21  # --cfg-options num_classes=N sets every head and DDFP's flow
model = dict(
    pretrained=None,
    backbone=dict(
        depth=18, stem_channels=16, base_channels=16, norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=128,
        channels=64,
        dilations=(1, 3, 6, 9),
        c1_in_channels=16,
        c1_channels=12,
        num_classes=num_classes,
        norm_cfg=norm_cfg),
    auxiliary_head=None)
