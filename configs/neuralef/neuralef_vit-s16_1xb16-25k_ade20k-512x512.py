# NeuralEF on ADE20K (public code's README): ViT-S/16, K 512, beta 0.04
# (the penalty scaled with K), batch 16, 20 epochs of the 20,210 training
# images (25.3k iterations), 512x512 crops, sliding-window test (512
# windows, stride 512).
_base_ = [
    '../_base_/models/neuralef_vit-s16.py',
    '../_base_/datasets/ade20k.py',
    '../_base_/neuralef_runtime.py',
    '../_base_/schedules/schedule_neuralef_cosine.py'
]
crop_size = (512, 512)
max_iters = 25300
num_clusters = 512
model = dict(
    decode_head=dict(loss_decode=dict(beta=0.04)),
    test_cfg=dict(mode='slide', crop_size=(512, 512), stride=(512, 512)))
train_dataloader = dict(batch_size=16)
val_evaluator = dict(
    _delete_=True,
    type='ClusterIoUMetric',
    num_clusters='${num_clusters}',
    mode='majority')
test_evaluator = val_evaluator
