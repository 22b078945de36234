# SSN's differentiable SLIC on AINet's backbone (association implantation,
# boundary-perceiving loss); see ssn_scn_1xb16-4k_bsds500-208x208.py for
# the head. AINet's recipe and budget otherwise.
_base_ = ['../ainet/ainet_1xb16-4k_bsds500-208x208.py']
model = dict(
    decode_head=dict(
        _delete_=True,
        type='DifferentiableSLICHead',
        in_channels=16,
        embed_channels=15,
        num_iters=5,
        test_num_iters=10))
