# NeuralEF on Cityscapes (public code's README): ViT-S/16, K 256, beta 0.08,
# batch 8, 40 epochs of the 2,975 training images (14.9k iterations),
# 768x768 crops, sliding-window test (768 windows, stride 512). The paper's
# Table 2 scores 27 classes; mmseg's CityscapesDataset has the 19 of its
# Table 3.
_base_ = [
    '../_base_/models/neuralef_vit-s16.py',
    '../_base_/datasets/cityscapes_768x768.py',
    '../_base_/neuralef_runtime.py',
    '../_base_/schedules/schedule_neuralef_cosine.py'
]
crop_size = (768, 768)
max_iters = 14900
model = dict(test_cfg=dict(mode='slide', crop_size=(768, 768),
                           stride=(512, 512)))
train_dataloader = dict(batch_size=8)
val_evaluator = dict(
    _delete_=True,
    type='ClusterIoUMetric',
    num_clusters='${num_clusters}',
    mode='majority')
test_evaluator = val_evaluator
