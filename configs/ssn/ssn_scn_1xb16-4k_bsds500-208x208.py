# SSN's differentiable SLIC (Jampani et al., ECCV 2018) on SCN's
# encoder-decoder (head: ../_base_/models/ssn_head.py), the final
# association trained with SCN's reconstruction loss. The learned
# projection starts tiny, so the untrained model clusters like SLIC.
# Prediction clusters the full-resolution image on cells of
# round(sqrt(H * W / n_segments)) px, without resizing it.
# SCN's recipe and budget otherwise (batch 16, 4k iterations, Adam 8e-5).
_base_ = [
    '../scn/scn_1xb16-4k_bsds500-208x208.py', '../_base_/models/ssn_head.py'
]
model = dict(decode_head={{_base_.ssn_head}})
