# NeuralEF on the embedded demo data, sized for 2 CPU cores. The frozen
# backbone is the encoder of the shipped default superpixel model (SCN,
# trained with mmsuperpix for superpixels on BSDS500: another task and
# dataset, never the demo's labels); its 1/8 and 1/16 levels (128 + 256
# channels) are concatenated at 1/8, so a 128x128 crop gives 16x16 tokens.
# K 32 clusters for the demo's 6 classes, beta scaled with K as the paper
# (0.08 x 256 / 32), a narrower psi (6 heads), the Cayley orthogonal map
# (4-5x faster than torch's default on a 2-core CPU), 1500 iterations of
# batch 8. The k-means baseline on the same tokens:
# kmeans_scn-encoder_demovoc-128x128.py.
_base_ = [
    '../_base_/datasets/demo_voc.py', '../_base_/neuralef_runtime.py',
    '../_base_/schedules/schedule_neuralef_cosine.py'
]
crop_size = (128, 128)
max_iters = 1500
num_clusters = 32
pretrained_backbone = 'mmsuperpix/model_zoo/ssn_scn_bsds500.pth'
model = dict(
    type='NeuralEFSegmentor',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[104.805, 110.16, 114.75],
        std=[255.0, 255.0, 255.0],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size='${crop_size}'),
    feature_k=256,
    pixel_knn=((10, 2.0), (5, 0.1)),
    pixel_weight=0.3,
    backbone=dict(
        type='SCNEncoder',
        out_indices=(3, 4),
        init_cfg=dict(
            type='Pretrained',
            checkpoint='${pretrained_backbone}',
            prefix='backbone.')),
    decode_head=dict(
        type='NeuralEFHead',
        in_channels=[128, 256],
        in_index=[0, 1],
        input_transform='resize_concat',
        num_classes='${num_clusters}',
        num_blocks=2,
        num_heads=6,
        head_dim=64,
        ffn_ratio=0.5,
        orthogonal_map='cayley',
        loss_decode=dict(type='NeuralEFLoss', beta=0.64, t=0.01)),
    train_cfg=dict(),
    # sliding 128x128 windows (multiples of SCN's 16 px), as the paper
    test_cfg=dict(mode='slide', crop_size=(128, 128), stride=(96, 96)))
train_dataloader = dict(batch_size=8)
val_evaluator = dict(
    _delete_=True,
    type='ClusterIoUMetric',
    num_clusters='${num_clusters}',
    mode='majority')
test_evaluator = val_evaluator
