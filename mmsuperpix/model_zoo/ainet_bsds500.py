# The shipped AINet model ('ainet'; the default is ssn_scn_bsds500.py):
# AINet trained with mmsuperpix on BSDS500 train, see README.
# Inference-only and self-contained (this folder is installed with the
# package); training configs live in configs/ainet/.
default_scope = 'mmseg'
model = dict(
    type='SuperpixelSegmentor',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[104.805, 110.16, 114.75],
        std=[255.0, 255.0, 255.0],
        bgr_to_rgb=True,
        size_divisor=16,
        pad_val=0,
        seg_pad_val=255),
    backbone=dict(
        type='AINetEncoderDecoder',
        superpixel_channels=(64, 16),
        context_attention=False),
    decode_head=dict(type='AssociationHead', in_channels=16),
    cell_size=16,
    # bfloat16 where the CPU supports it natively (same metrics, 2x faster)
    test_cfg=dict(n_segments=600, connectivity=True, precision='auto'))
