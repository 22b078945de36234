# RIM at the settings of eliasof_icip2022_fast.py (same layers, iterations
# and input size), for comparisons at equal settings.
# N = 1.06 * n_segments: with N channels it returns 0.97 N (N 100) and
# 0.92 N (N 400) superpixels on average over 4 BSDS500 train images.
_base_ = ['./eliasof_icip2022_fast.py']
superpixel_method = dict(
    model=dict(laplacian_features=False, aspp_dilations=None),
    loss=dict(eta=0.0, soft_image_recon=False),
    superpixels_per_segment=1.06)
