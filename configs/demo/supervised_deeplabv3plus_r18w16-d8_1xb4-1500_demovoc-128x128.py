# Baseline for the demo DDFP run: supervised only, on the labeled split
# alone (4 labeled images per iteration, as in the semi-supervised batch),
# same model, augmentation and schedule.
_base_ = ['./deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py']
labeled_split = '25'
train_dataloader = dict(
    batch_size=4,
    dataset=dict(
        ann_file='splits/${labeled_split}/labeled.txt',
        pipeline=[
            dict(type='LoadCheckedImageFromFile'),
            dict(type='LoadAnnotations'),
            dict(type='RandomRelativeResize', ratio_range=(0.75, 1.5)),
            dict(type='RandomCrop', crop_size='${crop_size}'),
            dict(type='RandomFlip', prob=0.5),
            dict(type='Pad', size='${crop_size}'),
            dict(type='PackSegInputs')
        ]))
val_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadCheckedImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='PackSegInputs')
    ]))
test_dataloader = val_dataloader
