# SSN's differentiable SLIC on AINet's backbone with the default model's
# short-budget recipe (as ssn_scn_1xb16-warmup-cosine-4k_bsds500-208x208.py),
# for the equal-budget table of benchmarks/superpixel_equal_budget.py.
_base_ = [
    '../ainet/ainet_1xb16-warmup-cosine-4k_bsds500-208x208.py',
    '../_base_/models/ssn_head.py'
]
model = dict(decode_head={{_base_.ssn_head}})
