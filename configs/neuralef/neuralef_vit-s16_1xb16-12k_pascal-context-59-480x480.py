# NeuralEF on PASCAL Context 59 (the paper's main setting, README commands of
# the public code): ViT-S/16, K 256, beta 0.08, batch 16, 40 epochs of the
# 4,996 training images (12.5k iterations), 480x480 crops of images resized
# to 520 with ratio 0.5-2.0, sliding-window test (480 windows, stride 320).
# Scored after many-to-one cluster-to-class matching (ClusterIoUMetric).
_base_ = [
    '../_base_/models/neuralef_vit-s16.py',
    '../_base_/datasets/pascal_context_59.py',
    '../_base_/neuralef_runtime.py',
    '../_base_/schedules/schedule_neuralef_cosine.py'
]
crop_size = (480, 480)
max_iters = 12500
model = dict(test_cfg=dict(mode='slide', crop_size=(480, 480),
                           stride=(320, 320)))
train_dataloader = dict(batch_size=16)
val_evaluator = dict(
    _delete_=True,
    type='ClusterIoUMetric',
    num_clusters='${num_clusters}',
    mode='majority')
test_evaluator = val_evaluator
