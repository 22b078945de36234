# The k-means baseline of NeuralEF (the paper's main comparison) on PASCAL
# Context 59: the same frozen ViT-S/16 tokens (block 0, block 6, final norm),
# K 256, the same test windows and cluster-to-class matching. Not trained:
#   python tools/fit_kmeans_head.py <this config> work_dirs/kmeans/kmeans.pth
#   python tools/test.py <this config> work_dirs/kmeans/kmeans.pth
_base_ = ['./neuralef_vit-s16_1xb16-12k_pascal-context-59-480x480.py']
model = dict(
    decode_head=dict(
        _delete_=True,
        type='KMeansHead',
        in_channels=[384, 384, 384],
        in_index=[0, 1, 2],
        input_transform='resize_concat',
        num_classes='${num_clusters}',
        metric='cosine',
        num_iters=100))
custom_hooks = [dict(type='MetricCurvesHook')]
