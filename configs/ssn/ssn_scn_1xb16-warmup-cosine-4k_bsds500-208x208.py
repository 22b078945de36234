# SSN's differentiable SLIC on SCN (as ssn_scn_1xb16-4k_bsds500-208x208.py)
# with the short-budget recipe: Adam 4e-4, 5% linear warm-up, cosine decay
# (../_base_/schedules/schedule_superpixel_warmup-cosine_4k.py).
_base_ = [
    '../_base_/models/scn.py', '../_base_/datasets/bsds500.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_superpixel_warmup-cosine_4k.py',
    '../_base_/models/ssn_head.py'
]
model = dict(decode_head={{_base_.ssn_head}})
randomness = dict(seed=2020)
