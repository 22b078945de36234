# Supervised baseline on the embedded demo data: DeepLabV3+ with a slim
# ResNet-18 trained from scratch, 1500 iterations of batch 8 (a few minutes
# on 2 CPU cores). `make demo` trains and evaluates this config.
_base_ = [
    '../_base_/models/deeplabv3plus_r18w16-d8.py',
    '../_base_/datasets/demo_voc.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_demo_1500.py'
]
data_preprocessor = dict(size='${crop_size}')
model = dict(data_preprocessor=data_preprocessor)
randomness = dict(seed=0)
