# The k-means baseline of the DINO ViT-Tiny/8 NeuralEF demo: the same frozen
# tokens (blocks 0, 6 and the final norm, concatenated), K 32, the same
# matching. Not trained:
#   python tools/fit_kmeans_head.py <this config> work_dirs/kmeans_dino.pth
#   python tools/test.py <this config> work_dirs/kmeans_dino.pth
_base_ = ['./neuralef_dino-vit-t8_1xb8-1500_demovoc-128x128.py']
model = dict(
    decode_head=dict(
        _delete_=True,
        type='KMeansHead',
        in_channels=[192, 192, 192],
        in_index=[0, 1, 2],
        input_transform='resize_concat',
        num_classes='${num_clusters}',
        metric='cosine',
        num_iters=100))
custom_hooks = [dict(type='MetricCurvesHook')]
