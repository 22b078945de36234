# SCN (Yang et al., CVPR 2020): encoder-decoder + 9-way association head,
# trained with the label + position reconstruction loss. Input: RGB / 255
# minus SCN's mean (0.411, 0.432, 0.45), no std scaling.
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[104.805, 110.16, 114.75],
    std=[255.0, 255.0, 255.0],
    bgr_to_rgb=True,
    size_divisor=16,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    type='SuperpixelSegmentor',
    data_preprocessor=data_preprocessor,
    backbone=dict(type='SCNEncoderDecoder'),
    decode_head=dict(type='AssociationHead', in_channels=16),
    loss_reconstruction=dict(
        type='SuperpixelReconstructionLoss',
        cell_size=16,
        pos_weight=0.003,
        loss_weight=0.005),
    cell_size=16,
    test_cfg=dict(n_segments=600, connectivity=True))
