"""Print where a training run put its checkpoint, logs and figures.

Example:
    python tools/analysis_tools/summarize_run.py work_dirs/demo
"""
import argparse
import glob
import os.path as osp
import sys

from mmsuperpix.visualization import read_scalars


def parse_args():
    parser = argparse.ArgumentParser(
        description='Summarise a finished training run')
    parser.add_argument('work_dir', help='the run\'s --work-dir')
    return parser.parse_args()


def main():
    args = parse_args()
    last = osp.join(args.work_dir, 'last_checkpoint')
    if not osp.isfile(last):
        sys.exit(f'error: {last!r} not found: did training in '
                 f'{args.work_dir!r} save a checkpoint?')
    with open(last) as f:
        checkpoint = f.read().strip()
    runs = sorted(glob.glob(osp.join(args.work_dir, '*', 'vis_data')))
    if not runs:
        sys.exit(f'error: no run logs under {args.work_dir!r}')
    log_dir = osp.dirname(runs[-1])
    _, val = read_scalars(osp.join(runs[-1], 'scalars.json'))
    print('\n=== training run summary ===')
    print(f'checkpoint      : {checkpoint}')
    print(f'log             : {osp.join(log_dir, osp.basename(log_dir))}.log')
    print(f'scalars (json)  : {osp.join(runs[-1], "scalars.json")}')
    for png in sorted(glob.glob(osp.join(log_dir, '*.png'))):
        print(f'figure          : {png}')
    if val:
        step = max(steps[-1] for steps, _ in val.values())
        metrics = '  '.join(f'{k}: {vs[-1]:.2f}'
                            for k, (_, vs) in sorted(val.items()))
        print(f'validation @{step:<5}: {metrics}')


if __name__ == '__main__':
    main()
