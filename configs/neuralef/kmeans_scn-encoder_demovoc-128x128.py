# The k-means baseline of the NeuralEF demo: the same frozen SCN-encoder
# tokens, K 32, the same matching. Not trained:
#   python tools/fit_kmeans_head.py <this config> work_dirs/kmeans_demo.pth
#   python tools/test.py <this config> work_dirs/kmeans_demo.pth
_base_ = ['./neuralef_scn-encoder_1xb8-1500_demovoc-128x128.py']
model = dict(
    decode_head=dict(
        _delete_=True,
        type='KMeansHead',
        in_channels=[128, 256],
        in_index=[0, 1],
        input_transform='resize_concat',
        num_classes='${num_clusters}',
        metric='cosine',
        num_iters=100))
custom_hooks = [dict(type='MetricCurvesHook')]
