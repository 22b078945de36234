# RIM at the settings of eliasof_icip2022_fast.py (same layers, iterations
# and input size), for comparisons at equal settings.
_base_ = ['./eliasof_icip2022_fast.py']
superpixel_method = dict(
    model=dict(laplacian_features=False, aspp_dilations=None),
    loss=dict(eta=0.0, soft_image_recon=False))
