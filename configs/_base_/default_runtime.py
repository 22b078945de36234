# Adapted from mmsegmentation 1.2.2 configs/_base_/default_runtime.py
# (Apache-2.0, Copyright OpenMMLab): adds mmsuperpix's custom_imports and
# the training-curves hook.
default_scope = 'mmseg'
custom_imports = dict(imports=['mmsuperpix'], allow_failed_imports=False)
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='SegLocalVisualizer', vis_backends=vis_backends, name='visualizer')
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False

tta_model = dict(type='SegTTAModel')
custom_hooks = [dict(type='MetricCurvesHook')]
