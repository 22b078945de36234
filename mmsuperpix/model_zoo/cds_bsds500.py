# CDS's inference network (Xu et al., AAAI 2024): the RGB branch only
# (embedder, content selective gate, decoder) with SCN's association head, a
# plain SuperpixelSegmentor. Weights come from a CDSSegmentor run
# (configs/cds/) exported without its training-only parts:
#   tools/model_converters/export_checkpoint.py work_dirs/cds/iter_N.pth \
#       cds_bsds500.pth --fp16 --drop aux_embedder estimator
# Inference-only and self-contained (this folder is installed with the
# package); preprocessing and test settings as the shipped AINet's.
_base_ = ['./ainet_bsds500.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='CDSEncoderDecoder',
        embedder=dict(type='CDSEmbedder', channels=64, out_channels=32),
        channels=32,
        cell_size=16),
    decode_head=dict(type='AssociationHead', in_channels=32))
