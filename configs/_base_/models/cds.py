# CDS (Xu et al., "Learning Invariant Inter-pixel Correlations for
# Superpixel Generation", AAAI 2024): SCN's association head and loss on
# CDS's embedder + content selective gate + decoder (the RGB branch, all
# that inference uses); training adds the auxiliary modality's embedder, the
# CLUB mutual-information bound between the two style vectors and the
# local-grid correlation alignment of the two contents, all weights 1. The
# CLUB estimator is fitted by its own Adam (5e-4, constant) through
# AuxiliaryEstimatorHook: configs using this model add it to custom_hooks.
_base_ = './scn.py'
model = dict(
    type='CDSSegmentor',
    backbone=dict(
        _delete_=True,
        type='CDSEncoderDecoder',
        embedder=dict(type='CDSEmbedder', channels=64, out_channels=32),
        channels=32,
        cell_size=16),
    decode_head=dict(type='AssociationHead', in_channels=32),
    aux_embedder=dict(type='CDSEmbedder', channels=64, out_channels=32),
    estimator=dict(
        type='CLUBEstimator',
        x_dim=32,
        y_dim=32,
        hidden_channels=4,
        optimizer=dict(type='Adam', lr=5e-4)),
    loss_alignment=dict(
        type='LocalGridCorrelationAlignmentLoss', cell_size=16,
        loss_weight=1.0),
    loss_club_weight=1.0,
    aux_loss_weight=1.0)
