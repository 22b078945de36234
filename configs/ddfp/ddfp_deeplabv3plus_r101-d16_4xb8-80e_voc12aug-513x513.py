# DDFP (Wang et al., CVPR 2024) on PASCAL VOC 2012 aug, the paper's recipe:
# DeepLabV3+ R101 (OS16), crop 513, 16 labeled + 16 unlabeled images per
# iteration (4 processes x (4 + 4)), SGD lr 0.001 (10x on the decode head),
# momentum 0.9, wd 1e-4, poly 0.9, 80 epochs of the unlabeled set.
# Phases (DDFP: epoch 0 supervised; epoch 1 + flow training; epoch >= 2 +
# perturbation) as shares of the budget `max_iters` (80 epochs of the 732
# split: one epoch = (10582 - 732) / 16 = 616 iterations, 80 epochs =
# 49280), so `--cfg-options max_iters=N` rescales phases and schedules.
# The teacher is the current student (teacher='student'): the effective
# behaviour of DDFP's official loop, whose `t_params.data = s_params.data`
# makes its later EMA copy the student onto itself (the teacher keeps its
# own BN statistics and predicts in train mode). For a lagging EMA mean
# teacher: --cfg-options model.semi_train_cfg.teacher=ema
# Pseudo-labels: DDFP's fixed 0.95 confidence threshold (ImageNet-initialised
# backbone), CE averaged over the confident pixels, the strong half through
# the auxiliary BN until the perturbation starts, as the official code.
#   python tools/train.py configs/ddfp_voc.py --cfg-options labeled_split=366
#   bash tools/dist_train.sh configs/ddfp_voc.py 4
_base_ = [
    '../_base_/models/deeplabv3plus_r101-d16_ddfp.py',
    '../_base_/datasets/pascal_voc12_semi.py', '../_base_/default_runtime.py'
]
max_iters = 49280  # 80 epochs of 616 iterations
model = dict(
    _delete_=True,
    type='SemiSupervisedSegmentor',
    segmentor={{_base_.model}},
    data_preprocessor=dict(
        type='MultiBranchDataPreprocessor',
        data_preprocessor={{_base_.data_preprocessor}}),
    classifier='sep_bottleneck',
    feature_perturbation=dict(
        type='DensityDescendingPerturbation',
        eps=4.0,
        aux_bn=True,
        optimizer=dict(type='Adam', lr=1e-3, betas=(0.5, 0.9)),
        max_pixels=20480,
        noise_std=0.05,
        max_grad_norm=50.0,
        flow=dict(
            type='FlowDensityEstimator',
            in_channels=256,
            num_blocks=2,
            hidden_channels=256,
            clamp=2.0,
            num_components={{_base_.num_classes}})),
    semi_train_cfg=dict(
        sup_only_iters='${max_iters*0.0125}',  # epoch 1 of 80
        perturb_start_iter='${max_iters*0.025}',  # epoch 2 of 80
        teacher='student',
        pseudo_label=dict(type='ConfidenceThreshold', thr=0.95),
        sup_weight=1.0,
        unsup_weight=1.0,
        perturbed_fraction=0.5,
        cutmix_prob=0.5,
        teacher_train_mode=True),
    semi_test_cfg=dict(predict_on='teacher'))
# unused parameters: the auxiliary BN before the perturbation starts
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.001, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys=dict(decode_head=dict(lr_mult=10.0))),
    clip_grad=None)
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=0.0,
        power=0.9,
        begin=0,
        end='${max_iters}',
        by_epoch=False)
]
train_cfg = dict(
    type='IterBasedTrainLoop',
    max_iters='${max_iters}',
    val_interval='${max_iters*0.05}')  # every 4 epochs
val_cfg = dict(type='TeacherStudentValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval='${max_iters*0.05}',
        max_keep_ckpts=3,
        save_best='teacher/mIoU',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='MeanTeacherHook', decay=0.999, warmup=True),
    dict(type='AuxiliaryEstimatorHook', final_lr_ratio=0.01),
]
randomness = dict(seed=2)
