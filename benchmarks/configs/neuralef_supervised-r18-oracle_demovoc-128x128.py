# DIAGNOSTIC ONLY, not a NeuralEF result: the frozen backbone is the demo's
# supervised DeepLabV3+ ResNet-18 (16 base channels), trained WITH the
# demo's labels (configs/demo/supervised_deeplabv3plus_*; give its
# checkpoint as pretrained_backbone). It answers one question for
# benchmarks/neuralef_spectral_ceiling.py: does NeuralEF's kernel beat
# k-means when the tokens ARE semantic? psi's tokens: the 1/8 outputs of
# stages 3 and 4 (64 + 128 channels, 16 x 16 on a 128 crop); the feature
# graph on stage 4.
_base_ = [
    '../../configs/neuralef/neuralef_scn-encoder_1xb8-1500_demovoc-128x128.py'
]
pretrained_backbone = 'work_dirs/supervised_demo/iter_1500.pth'
model = dict(
    data_preprocessor=dict(
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375]),
    backbone=dict(
        _delete_=True,
        type='ResNetV1c',
        depth=18,
        stem_channels=16,
        base_channels=16,
        num_stages=4,
        out_indices=(2, 3),
        dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1),
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        contract_dilation=True,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='${pretrained_backbone}',
            prefix='backbone.')),
    decode_head=dict(in_channels=[64, 128]))
