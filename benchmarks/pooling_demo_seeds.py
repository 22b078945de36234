"""DeepLabV3+ with and without superpixel pooling on the demo data: the
same budget, several seeds, mIoU and boundary F-score (3-px band).

Rows:
- ``no pooling``: the supervised demo config;
- ``pooling``: the same with its head wrapped in a SuperpixelPoolingHead
  (logits pooled at input resolution over the shipped AINet's superpixels,
  in training and inference);
- ``pooling at test only``: the ``no pooling`` checkpoints evaluated with
  the pooling config (superpixels only at inference).

Each is scored on the demo val set (100 synthetic images) and, with the same
checkpoints, on the real VOC 2012 images in ``--voc-root`` (48 in
../shared/data): a model trained on synthetic shapes says nothing about
VOC accuracy there; that set only checks the pipeline on real images.
Finished runs are reused, so the script can be re-run to fill in.

Example:
    python benchmarks/pooling_demo_seeds.py --seeds 0 1 2
"""
import argparse
import json
import os.path as osp
import statistics

from mmseg.datasets import PascalVOCDataset

from sweep_utils import REPO, final_metric, test, train

CONFIGS = osp.join(REPO, 'configs')
PLAIN = osp.join(CONFIGS, 'demo',
                 'deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py')
POOLED = osp.join(CONFIGS, 'superpixel_pooling', 'sp-pool_deeplabv3plus_'
                  'r18w16-d8_1xb8-1500_demovoc-128x128.py')
BOUNDARY = ['val_evaluator.type=BoundaryIoUMetric',
            'test_evaluator.type=BoundaryIoUMetric']
KEYS = ('mIoU', 'bFscore')
VOC_CONFIG = '''_base_ = [{base!r}]
test_dataloader = dict(
    batch_size=1, num_workers=0, persistent_workers=False,
    dataset=dict(
        _delete_=True, type='BaseSegDataset', data_root={root!r},
        data_prefix=dict(img_path='JPEGImages',
                         seg_map_path='SegmentationClassAug'),
        img_suffix='.jpg', seg_map_suffix='.png', metainfo={meta!r},
        pipeline={{{{_base_.test_pipeline}}}}))
test_evaluator = dict(type='BoundaryIoUMetric', iou_metrics=['mIoU'])
'''


def voc_config(base: str, root: str, out_dir: str) -> str:
    """A test config of ``base`` on the VOC images under ``root``."""
    meta = dict(classes=PascalVOCDataset.METAINFO['classes'],
                palette=PascalVOCDataset.METAINFO['palette'])
    path = osp.join(out_dir, 'voc_' + osp.basename(base))
    with open(path, 'w') as f:
        f.write(VOC_CONFIG.format(base=base, root=root, meta=meta))
    return path


def trained(config: str, work_dir: str, seed: int, max_iters: int,
            options: list) -> dict:
    done = final_metric(work_dir, 'mIoU')
    if done is None or done[0] < max_iters:
        print(f'== train {osp.basename(work_dir)}', flush=True)
        train(config, work_dir, [f'randomness.seed={seed}',
                                 f'train_cfg.max_iters={max_iters}',
                                 *options])
    return {key: final_metric(work_dir, key)[1] for key in KEYS}


def tested(config: str, checkpoint: str, work_dir: str) -> dict:
    result = osp.join(work_dir, 'metrics.json')
    if not osp.isfile(result):
        print(f'== test {work_dir}', flush=True)
        metrics = test(config, checkpoint, work_dir, [])
        with open(result, 'w') as f:
            json.dump(metrics, f)
    with open(result) as f:
        metrics = json.load(f)
    return {key: metrics[key] for key in KEYS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--max-iters', type=int, default=1500)
    parser.add_argument('--voc-root', default=osp.join(
        osp.dirname(REPO), 'shared', 'data', 'VOC2012'))
    parser.add_argument('--out-dir', default=osp.join(
        REPO, 'work_dirs', 'pooling_demo'))
    args = parser.parse_args()
    voc = osp.isdir(args.voc_root)
    rows = {}
    for seed in args.seeds:
        runs = {}
        for name, config, options in (('no pooling', PLAIN, BOUNDARY),
                                      ('pooling', POOLED, [])):
            work_dir = osp.join(args.out_dir, name.replace(' ', '_'),
                                f'seed{seed}')
            scores = trained(config, work_dir, seed, args.max_iters, options)
            runs[name] = (config, work_dir, scores)
        plain_ckpt = osp.join(runs['no pooling'][1],
                              f'iter_{args.max_iters}.pth')
        runs['pooling at test only'] = (POOLED, runs['no pooling'][1], tested(
            POOLED, plain_ckpt, osp.join(args.out_dir, 'test_only',
                                         f'seed{seed}')))
        for name, (config, work_dir, scores) in runs.items():
            row = rows.setdefault(name, {})
            for key in KEYS:
                row.setdefault(f'demo {key}', []).append(scores[key])
            if voc:
                ckpt = osp.join(work_dir, f'iter_{args.max_iters}.pth')
                out = osp.join(args.out_dir, 'voc48', name.replace(' ', '_'),
                               f'seed{seed}')
                voc_scores = tested(voc_config(config, args.voc_root,
                                               args.out_dir), ckpt, out)
                for key in KEYS:
                    row.setdefault(f'VOC48 {key}', []).append(voc_scores[key])
    print(f'\n{args.max_iters} iterations, seeds {args.seeds}; mean +- std '
          '(per seed)')
    for name, row in rows.items():
        print(f'{name}:')
        for key, values in row.items():
            spread = statistics.stdev(values) if len(values) > 1 else 0.0
            print(f'  {key:14s} {statistics.mean(values):6.2f} +- '
                  f'{spread:5.2f}   ({", ".join(f"{v:.2f}" for v in values)})')
    with open(osp.join(args.out_dir, 'results.json'), 'w') as f:
        json.dump(rows, f, indent=1)


if __name__ == '__main__':
    main()
