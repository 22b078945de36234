# A fast preset of Eliasof et al. (eliasof_icip2022.py) for CPUs: the
# authors' released script's network (2 ConvInReLU layers, 32 and 64
# channels) and iteration count (100), on the image resized so that its
# longer side is 160 px (aspect kept; the script squashes to 128x128); the
# paper's loss weights. About 130x cheaper per iteration than the paper's
# network at 481x321 (benchmarks/unsupervised_superpixel_cost.py) and 10x
# fewer iterations. Labels come back at full size.
# N = 0.58 * n_segments: with N channels this preset returns 1.66 N (N 100)
# to 1.80 N (N 400) superpixels on average over 4 BSDS500 train images
# (79 to 225 at N 100: the count varies per image).
_base_ = ['./eliasof_icip2022.py']
superpixel_method = dict(
    model=dict(num_convs=2),
    num_iters=100,
    input_size=160,
    superpixels_per_segment=0.58)
