# NYUv2 in Stutz et al.'s superpixel-benchmark layout under data/NYUV2:
#   images/test/<8-digit id>.png   csv_groundTruth/test/<8-digit id>.csv
# plus the benchmark's nyuv2_test_subset.txt (400 ids). 608x448 images: r = 2.
# Test the BSDS500-trained AINet on NYUv2 (SCN's cross-dataset protocol):
#   python tools/test.py configs/ainet/ainet_1xb16-4k_bsds500-208x208_nyuv2.py \
#       CHECKPOINT --cfg-options model.test_cfg.n_segments=1200
# A test-only config: its data_root (--cfg-options data_root=...) is the
# NYUv2 folder, for validation as for the test; train with the BSDS500 one.
_base_ = ['./ainet_1xb16-4k_bsds500-208x208.py']
data_root = 'data/NYUV2'
test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='NYUv2SuperpixelDataset',
        data_root='${data_root}',
        split='test',
        ann_file='nyuv2_test_subset.txt',
        pipeline={{_base_.test_pipeline}}))
val_dataloader = test_dataloader
