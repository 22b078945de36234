# Unsupervised per-image superpixels of Eliasof, Ben Zikri, Treister,
# "Rethinking Unsupervised Neural Superpixel Segmentation" (ICIP 2022), at the
# paper's settings (section 3.2): 4 ConvInReLU layers (32..256), Laplacian
# feature maps, ASPP (rates 1, 2, 4, 8), projection to N + 3 channels;
# 1,000 Adam iterations at lr 0.01 on the full-resolution RGB + XY;
# (lambda, alpha, beta, eta) = (2, 2, 10, 1). build_superpixel_method('eliasof').
# The authors' released script differs: 100 iterations, beta 2, a 128x128
# resize, 2 or 3 ConvInReLU layers (see README); set them with --cfg-options.
superpixel_method = dict(
    type='PerImageSuperpixels',
    model=dict(
        type='UnsupervisedSuperpixelNet',
        base_channels=32,
        num_convs=4,
        laplacian_features=True,
        aspp_dilations=(1, 2, 4, 8),
        logit_norm=True),
    loss=dict(
        type='UnsupervisedSuperpixelLoss',
        lam=2.0,
        alpha=2.0,
        beta=10.0,
        eta=1.0,
        sigma=8.0,
        soft_image_recon=True,
        edge_loss=dict(softmax_dim='image', log_input=True)),
    num_iters=1000,
    lr=0.01,
    input_size=None,
    superpixels_per_segment=1.0,
    batch_size=4,
    seed=0,
    progress=True)
