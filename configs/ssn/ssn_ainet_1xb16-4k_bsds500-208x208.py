# SSN's differentiable SLIC on AINet's backbone (association implantation,
# boundary-perceiving loss); see ssn_scn_1xb16-4k_bsds500-208x208.py.
# AINet's recipe and budget otherwise.
_base_ = [
    '../ainet/ainet_1xb16-4k_bsds500-208x208.py',
    '../_base_/models/ssn_head.py'
]
model = dict(decode_head={{_base_.ssn_head}})
