# The shipped default superpixel model (init_superpixel_model() with no
# arguments): SSN's differentiable SLIC head (Jampani et al., ECCV 2018) on
# SCN's encoder-decoder, trained with mmsuperpix on BSDS500 train, see
# README. Inference-only and self-contained (this folder is installed with
# the package); the training config is
# configs/ssn/ssn_scn_1xb16-warmup-cosine-4k_bsds500-208x208.py.
# Prediction clusters the full-resolution image on cells of
# round(sqrt(H * W / n_segments)) px, with no resize. Preprocessing, cell
# size and test settings as the shipped AINet's; the backbone runs in
# bfloat16 where the CPU supports it, the head's k-means in float32.
_base_ = ['./ainet_bsds500.py']
model = dict(
    backbone=dict(_delete_=True, type='SCNEncoderDecoder'),
    decode_head=dict(
        _delete_=True,
        type='DifferentiableSLICHead',
        in_channels=16,
        embed_channels=15,
        num_iters=5,
        test_num_iters=10,
        # Inference settings (no weights depend on them), chosen on 40
        # BSDS500 *train* images and checked on val (README): centres from
        # 6x6 pooling bins per 16-px cell (1.2x faster than every pixel,
        # no loss), and a
        # position scale of 1.75 instead of the 2.5 it was trained with,
        # SSN's test-time compactness knob (less compact: more boundary
        # recall).
        test_sample_stride=3,
        pos_scale=1.75))
