# The SCN baseline with AINet's budget (batch 16, 4k iterations, same
# optimiser and schedule), for a like-for-like comparison.
_base_ = [
    '../_base_/models/scn.py', '../_base_/datasets/bsds500.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_superpixel_4k.py'
]
randomness = dict(seed=2020)
