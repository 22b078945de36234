# RIM (Suzuki, "Superpixel segmentation via convolutional neural networks with
# regularized information maximization", ICASSP 2020) as the baseline of
# Eliasof et al.: the same optimiser and components with their additions
# switched off (no Laplacian features, no ASPP, no soft superpixelated-image
# reconstruction, no edge loss); the same N and iterations as
# eliasof_icip2022.py so the two compare at equal settings.
# build_superpixel_method('rim').
_base_ = ['./eliasof_icip2022.py']
superpixel_method = dict(
    model=dict(laplacian_features=False, aspp_dilations=None),
    loss=dict(eta=0.0, soft_image_recon=False))
