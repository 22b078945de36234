"""Print where a training run put its checkpoint, logs and figures, and
its final validation next to a baseline run's.

Example:
    python tools/analysis_tools/summarize_run.py work_dirs/demo \
        --baseline work_dirs/demo_supervised
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
    parser.add_argument(
        '--baseline', help='--work-dir of a baseline run (e.g. supervised '
        'only at the same budget) to compare the final mIoU with')
    return parser.parse_args()


def final_validation(work_dir: str):
    """``(log_dir, {metric: (steps, values)})`` of the newest run."""
    runs = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data')))
    if not runs:
        sys.exit(f'error: no run logs under {work_dir!r}')
    return osp.dirname(runs[-1]), read_scalars(
        osp.join(runs[-1], 'scalars.json'))[1]


def compare(val: dict, baseline_dir: str) -> None:
    """Final mIoU of the run (teacher and student) beside the baseline's."""
    _, base = final_validation(baseline_dir)
    if 'mIoU' not in base:
        sys.exit(f'error: the baseline in {baseline_dir!r} logged no mIoU')
    reference = base['mIoU'][1][-1]
    print(f'\n=== against the baseline in {baseline_dir} ===')
    print(f'baseline mIoU   : {reference:.2f}')
    for key in ('teacher/mIoU', 'student/mIoU', 'mIoU'):
        if key in val:
            value = val[key][1][-1]
            print(f'{key:16s}: {value:.2f} ({value - reference:+.2f})')


def main():
    args = parse_args()
    last = osp.join(args.work_dir, 'last_checkpoint')
    if not osp.isfile(last):
        sys.exit(f'error: {last!r} not found: did training in '
                 f'{args.work_dir!r} save a checkpoint?')
    with open(last) as f:
        checkpoint = f.read().strip()
    log_dir, val = final_validation(args.work_dir)
    print('\n=== training run summary ===')
    print(f'checkpoint      : {checkpoint}')
    print(f'log             : {osp.join(log_dir, osp.basename(log_dir))}.log')
    print(f'scalars (json)  : {osp.join(log_dir, "vis_data", "scalars.json")}')
    for png in sorted(glob.glob(osp.join(log_dir, '*.png'))):
        print(f'figure          : {png}')
    if val:
        step = max(steps[-1] for steps, _ in val.values())
        metrics = '  '.join(f'{k}: {vs[-1]:.2f}'
                            for k, (_, vs) in sorted(val.items()))
        print(f'validation @{step:<5}: {metrics}')
        best = {k: max(zip(vs, steps)) for k, (steps, vs) in val.items()
                if k.endswith('mIoU')}
        if best:  # what DDFP's code reports: the best of every evaluation
            print('best            : ' + '  '.join(
                f'{k}: {v:.2f} @{i}' for k, (v, i) in sorted(best.items())))
    if args.baseline:
        compare(val, args.baseline)


if __name__ == '__main__':
    main()
