# DDFP on the embedded demo data (CPU-sized): the slim DeepLabV3+ of the
# supervised demo, trained from scratch, 25 labeled + 375 unlabeled images
# (the split where supervised-only is far below all 400 labeled), 4 + 4 per
# iteration, 1500 iterations.
# The teacher is the current student (teacher='student'): what DDFP's
# official loop does in effect (its EMA copies the student onto itself);
# `--cfg-options model.semi_train_cfg.teacher=ema` gives the mean-teacher
# variant. DDFP's recipe otherwise (CutMix, loss averaged over confident
# pixels, 0.5 / 0.5 clean / perturbed, auxiliary BN routing), with two
# changes for a model that starts from scratch instead of ImageNet weights:
# FreeMatch's self-adaptive class-wise thresholds (capped at DDFP's 0.95)
# instead of one global 0.95, and the unsupervised weight ramped up over
# 20% of the budget. Phases and schedules are shares of `max_iters`, so
# `--cfg-options max_iters=3000` (or train_cfg.max_iters=3000) rescales
# them all: supervised warm-up 20%, perturbation from 30%.
# For the 64-channel decoder the flow is smaller than DDFP's (64-d input,
# 64 hidden units) and sees up to 4096 pixels per step: a CPU budget choice.
#   python tools/train.py configs/demo/<this file> --cfg-options labeled_split=50
_base_ = [
    '../_base_/models/deeplabv3plus_r18w16-d8.py',
    '../_base_/datasets/demo_voc_semi.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_demo_1500.py'
]
seg_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size='${crop_size}')
model = dict(
    _delete_=True,
    type='SemiSupervisedSegmentor',
    segmentor={{_base_.model}},
    data_preprocessor=dict(
        type='MultiBranchDataPreprocessor', data_preprocessor=seg_preprocessor),
    classifier='sep_bottleneck',
    feature_perturbation=dict(
        type='DensityDescendingPerturbation',
        eps=4.0,
        aux_bn=True,
        optimizer=dict(type='Adam', lr=1e-3, betas=(0.5, 0.9)),
        max_pixels=4096,
        noise_std=0.05,
        max_grad_norm=50.0,
        flow=dict(
            type='FlowDensityEstimator',
            in_channels=64,
            num_blocks=2,
            hidden_channels=64,
            num_components={{_base_.num_classes}})),
    semi_train_cfg=dict(
        sup_only_iters='${max_iters*0.2}',
        perturb_start_iter='${max_iters*0.3}',
        teacher='student',
        pseudo_label=dict(type='SelfAdaptiveThreshold', max_thr=0.95),
        unsup_weight=1.0,
        unsup_rampup_iters='${max_iters*0.2}',
        perturbed_fraction=0.5,
        cutmix_prob=0.5),
    semi_test_cfg=dict(predict_on='teacher'))
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True)
val_cfg = dict(type='TeacherStudentValLoop')
custom_hooks = [
    dict(type='MetricCurvesHook'),
    dict(type='MeanTeacherHook', decay=0.99, warmup=True),
    dict(type='AuxiliaryEstimatorHook', final_lr_ratio=0.01),
]
randomness = dict(seed=0)
