# AINet (Wang et al., ICCV 2021): SCN's network + Association Implantation,
# trained with SCN's loss, plus the boundary-perceiving loss (weight
# 0.005 * 0.5) in a fine-tuning stage set by train_cfg.
_base_ = './scn.py'
model = dict(
    backbone=dict(
        _delete_=True,
        type='AINetEncoderDecoder',
        superpixel_channels=(64, 16),
        context_attention=False),
    loss_boundary=dict(
        type='BoundaryPerceivingLoss',
        patch_size=5,
        max_patches=500,
        border=5,
        loss_weight=0.0025))
