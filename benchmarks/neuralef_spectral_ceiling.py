"""How far can NeuralEF get on a frozen backbone? Spectral clustering with
its kernel, solved exactly, next to k-means on the same tokens.

NeuralEF's head learns the top eigenfunctions of the graph kernel and
quantises them; exact spectral clustering of that kernel over a whole image
set is the ceiling the head approaches. This computes, at the token level
(each val image resized to the config's crop, its labels nearest-resized to
the token grid), the majority-matched mIoU and accuracy of

- k-means (cosine, K clusters, several seeds) on the tokens psi sees, and
  on the high-level tokens the feature graph is built from;
- spectral clustering: the kernel ``A_feat + alpha * A_pix`` over all val
  tokens (the feature kNN graph across images with ``k`` neighbours per
  token, each image's pixel kNN graph as the config's), its top-K
  eigenvectors (``scipy.sparse.linalg.eigsh``), rows clustered by k-means.

``--graph concat`` builds the feature graph on psi's input tokens instead of
the high-level ones. ``k`` is given per token of the whole set: the paper's
density (256 neighbours of 16 x 900 tokens) is 1.8%.

Example (30 s on 2 idle CPU cores for the demo's 100 val images at k 64 and
455; k 3200 adds about 1.5 min)::

    python benchmarks/neuralef_spectral_ceiling.py \\
        --data-root data/demo_voc/VOC2012 --knn 64 455 3200

Other frozen backbones by ``--config`` (and ``--cfg-options
pretrained_backbone=...``): the DINO ViT-T/8 NeuralEF config, or the
label-trained diagnostic backbone of
``benchmarks/configs/neuralef_supervised-r18-oracle_demovoc-128x128.py``.
"""
import argparse
import os.path as osp
import time
from typing import Tuple

import cv2
import numpy as np
import scipy.sparse as sp
import torch
import torch.nn.functional as F
from mmengine.config import Config, DictAction
from mmseg.utils import register_all_modules
from PIL import Image
from scipy.sparse.linalg import eigsh

from mmsuperpix.evaluation.functional import (cluster_confusion,
                                              match_clusters, matched_scores)
from mmsuperpix.ops import feature_knn_graph, kmeans, pixel_knn_graph
from mmsuperpix.registry import MODELS
from mmsuperpix.utils.image_io import read_image
from mmsuperpix.utils.placeholders import fill_placeholders

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = osp.join(REPO, 'configs', 'neuralef',
                  'neuralef_scn-encoder_1xb8-1500_demovoc-128x128.py')


@torch.no_grad()
def val_tokens(model, data_root: str, crop: tuple, batch: int = 10):
    """psi's input tokens (M, C), high-level tokens (M, D), colours at the
    token grid (B, 3, h, w) and labels (M,) of every val image."""
    split = osp.join(data_root, 'ImageSets', 'Segmentation', 'val.txt')
    with open(split) as f:
        ids = f.read().split()
    tokens, highs, colours, labels = [], [], [], []
    for start in range(0, len(ids), batch):
        images, grid = [], None
        for name in ids[start:start + batch]:
            image = read_image(osp.join(data_root, 'JPEGImages',
                                        f'{name}.jpg'))
            image = cv2.resize(image, crop[::-1],
                               interpolation=cv2.INTER_AREA)
            images.append(torch.from_numpy(image).permute(2, 0, 1))
        data = model.data_preprocessor(dict(inputs=images), False)
        feats = model.extract_feat(data['inputs'])
        psi_in = model.decode_head._transform_inputs(feats)
        grid = tuple(psi_in.shape[-2:])
        high = F.interpolate(feats[model.feature_index], grid,
                             mode='bilinear', align_corners=False)
        tokens.append(psi_in.flatten(2).transpose(1, 2).flatten(0, 1))
        highs.append(high.flatten(2).transpose(1, 2).flatten(0, 1))
        colours.append(model.image_colours(data['inputs'], grid))
        for name in ids[start:start + batch]:
            label = Image.open(osp.join(data_root, 'SegmentationClass',
                                        f'{name}.png'))
            labels.append(np.array(label.resize(grid[::-1],
                                                Image.NEAREST)).ravel())
    return (torch.cat(tokens), torch.cat(highs), torch.cat(colours),
            np.concatenate(labels))


def cluster(points: torch.Tensor, k: int, seed: int) -> np.ndarray:
    centres = kmeans(points, k, 100, 'cosine', seed)
    return (F.normalize(points, dim=1) @ F.normalize(centres, dim=1).T
            ).argmax(1).numpy()


def feature_graph(features: torch.Tensor, k: int,
                  chunk: int = 2048) -> sp.csr_matrix:
    """The kernel's feature graph over all tokens, sparse: the same graph
    as ``feature_knn_graph`` (checked against it on a subset in
    :func:`check_against_dense`), which builds dense ``(M, M)`` matrices
    (2.6 GB each at the demo's 25,600 val tokens) that ``eigsh`` would then
    multiply densely; computed in row chunks instead."""
    unit = F.normalize(features.float(), dim=1)
    total = len(unit)
    rows, cols, values = [], [], []
    for start in range(0, total, chunk):
        similarity = unit[start:start + chunk] @ unit.T
        own = torch.arange(len(similarity))
        similarity[own, own + start] = float('-inf')
        value, index = similarity.topk(k, dim=1)
        rows.append(np.repeat(np.arange(start, start + len(similarity)), k))
        cols.append(index.reshape(-1).numpy())
        values.append(value.clamp_min(0).reshape(-1).numpy())
    graph = sp.csr_matrix((np.concatenate(values),
                           (np.concatenate(rows), np.concatenate(cols))),
                          shape=(total, total))
    return normalise((graph + graph.T) / 2)


def normalise(graph: sp.csr_matrix) -> sp.csr_matrix:
    """``normalise_adjacency`` for a sparse matrix."""
    degree = np.asarray(graph.sum(1)).ravel()
    scale = np.where(degree > 0, 1 / np.sqrt(np.maximum(degree, 1e-12)), 0)
    return sp.diags(scale) @ graph @ sp.diags(scale)


def neighbour_shares(graph: sp.csr_matrix, tokens_per_image: int,
                     labels: np.ndarray) -> Tuple[float, float]:
    """Shares of the graph's edge weight (M, M) that join two tokens of the
    same image, and two labelled tokens of the same class: a kernel whose
    mass stays inside images has eigenvectors that separate images, not
    classes."""
    coo = graph.tocoo()
    same_image = coo.row // tokens_per_image == coo.col // tokens_per_image
    labelled = (labels[coo.row] != 255) & (labels[coo.col] != 255)
    same_class = labels[coo.row] == labels[coo.col]
    return (coo.data[same_image].sum() / coo.data.sum(),
            coo.data[labelled & same_class].sum() / coo.data[labelled].sum())


def check_against_dense(features: torch.Tensor, k: int,
                        subset: int = 1024) -> None:
    """The sparse graph equals ``feature_knn_graph`` on ``subset`` tokens
    (with chunks smaller than the subset, so the chunking is checked)."""
    part = features[:subset]
    sparse = feature_graph(part, min(k, subset - 1), chunk=300).toarray()
    dense = feature_knn_graph(part, k).numpy()
    if not np.allclose(sparse, dense, atol=1e-6):
        raise RuntimeError('the sparse feature graph differs from '
                           'feature_knn_graph: max abs difference '
                           f'{np.abs(sparse - dense).max():.2e}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', default=CONFIG)
    parser.add_argument('--data-root', required=True)
    parser.add_argument('--knn', type=int, nargs='+', default=[64, 455, 3200])
    parser.add_argument('--alphas', type=float, nargs='+', default=None,
                        help="pixel-graph weights (default: the config's, "
                        'and 0)')
    parser.add_argument('--graph', choices=['high', 'concat'],
                        default='high')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={}, help='config overrides, key=value '
                        '(e.g. pretrained_backbone=...)')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    register_all_modules()
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict(args.cfg_options)
    fill_placeholders(cfg)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.eval()
    num_clusters = cfg.model.decode_head.num_classes
    tokens, highs, colours, labels = val_tokens(model, args.data_root,
                                                tuple(cfg.crop_size))
    num_classes = int(labels[labels != 255].max()) + 1

    def report(name: str, clusters: np.ndarray) -> None:
        confusion = cluster_confusion(clusters[None], labels[None],
                                      num_clusters, num_classes)
        scores = matched_scores(confusion,
                                match_clusters(confusion, 'majority'))
        print(f'{name:58s} mIoU {100 * scores["mIoU"]:6.2f}  '
              f'aAcc {100 * scores["aAcc"]:6.2f}', flush=True)

    print(f'{len(tokens)} tokens of {len(colours)} images, K '
          f'{num_clusters}; psi input {tokens.shape[1]}-d, high-level '
          f'{highs.shape[1]}-d; feature graph on the {args.graph} tokens')
    shares = np.bincount(labels[labels != 255]) / (labels != 255).sum()
    print(f'two random tokens: {100 / len(colours):.1f}% same image, '
          f'{100 * (shares**2).sum():.1f}% same class')
    for seed in args.seeds:
        report(f'k-means on psi input tokens, seed {seed}',
               cluster(tokens, num_clusters, seed))
        report(f'k-means on high-level tokens, seed {seed}',
               cluster(highs, num_clusters, seed))
    pixel = sp.block_diag([
        sp.csr_matrix(pixel_knn_graph(colours[i:i + 1], model.pixel_knn)
                      .numpy()) for i in range(len(colours))], format='csr')
    alphas = args.alphas or [model.pixel_weight, 0.0]
    for k in args.knn:
        start = time.time()
        features = tokens if args.graph == 'concat' else highs
        check_against_dense(features, k)
        graph = feature_graph(features, k)
        image_share, class_share = neighbour_shares(
            graph, len(tokens) // len(colours), labels)
        print(f'feature graph, k {k}: {100 * image_share:.1f}% of its weight '
              f'within an image, {100 * class_share:.1f}% within a class',
              flush=True)
        for alpha in alphas:
            values, vectors = eigsh(graph + alpha * pixel, k=num_clusters,
                                    which='LA')
            embedding = torch.from_numpy(vectors.copy()).float()
            for seed in args.seeds:
                report(f'spectral, k {k} ({100 * k / len(tokens):.1f}%), '
                       f'alpha {alpha}, seed {seed}',
                       cluster(embedding, num_clusters, seed))
        print(f'  (k {k}: {time.time() - start:.0f} s)', flush=True)


if __name__ == '__main__':
    main()
