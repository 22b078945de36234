# SSN's differentiable SLIC (Jampani et al., ECCV 2018) on SCN's
# encoder-decoder: pixel features = a learned 15-d projection of SCN's
# 16-d decoder output + 0.26 * Lab + 2.5 * XY / cell, soft k-means over the
# 9 neighbouring 16-px cells (5 iterations in training, 10 at test), the
# final association trained with SCN's reconstruction loss. The learned
# projection starts tiny, so the untrained model clusters like SLIC.
# Prediction clusters the full-resolution image on cells of
# round(sqrt(H * W / n_segments)) px, without resizing it.
# SCN's recipe and budget otherwise (batch 16, 4k iterations, Adam 8e-5).
_base_ = ['../scn/scn_1xb16-4k_bsds500-208x208.py']
model = dict(
    decode_head=dict(
        _delete_=True,
        type='DifferentiableSLICHead',
        in_channels=16,
        embed_channels=15,
        num_iters=5,
        test_num_iters=10))
