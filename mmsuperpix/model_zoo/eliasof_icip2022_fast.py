# A fast preset of Eliasof et al. (eliasof_icip2022.py) for CPUs: the
# authors' released script's network (2 ConvInReLU layers, 32 and 64
# channels) and iteration count (100), on the image resized so that its
# longer side is 160 px (aspect kept; the script squashes to 128x128); the
# paper's loss weights. About 9x cheaper per iteration than the paper's
# network at 481x321 and 10x fewer iterations (benchmarks/
# unsupervised_superpixel_cost.py). Labels come back at full size.
_base_ = ['./eliasof_icip2022.py']
superpixel_method = dict(
    model=dict(num_convs=2), num_iters=100, input_size=160)
