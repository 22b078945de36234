# SSN's differentiable SLIC head (Jampani et al., ECCV 2018) for the grid
# backbones: a learned 15-d projection of the 16-d backbone output +
# 0.26 * Lab + 2.5 * XY / cell, soft k-means over the 9 neighbouring cells
# (5 iterations in training, 10 at test). Used as
# model = dict(decode_head={{_base_.ssn_head}}) on an SCN or AINet config.
ssn_head = dict(
    type='DifferentiableSLICHead',
    in_channels=16,
    embed_channels=15,
    num_iters=5,
    test_num_iters=10)
