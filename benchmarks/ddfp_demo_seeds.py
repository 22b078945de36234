"""Supervised-only vs mean teacher vs UniMatch-style dropout vs DDFP on the
demo data: the same budget, paired seeds, mean +- std and the paired
difference to supervised-only with a 95% t-interval.

Each run is ``tools/train.py <config> --cfg-options randomness.seed=<k>
labeled_split=<n> max_iters=<m>`` into ``<out-dir>/split<n>/<method>/
seed<k>``. Scores (final validation):

- ``final``: the model a user exports: the teacher of a semi-supervised run
  (``teacher/mIoU``), the model of the supervised one;
- ``student``: the student's final mIoU (semi-supervised runs);
- ``best``: the best validation of teacher or student over the run, what
  DDFP's official code reports.

``--headroom`` first trains supervised-only with 25, 50 and all 400 labeled
images (seed 0 unless ``--seeds``) to show where semi-supervision has room.
The pseudo-label precision / recall / coverage of every semi-supervised run
(logged against the demo's reference labels) is drawn, averaged over seeds,
to ``<out-dir>/split<n>_pseudo_labels.png``. Finished runs are reused, so
the script can be re-run to fill in.

Example:
    python benchmarks/ddfp_demo_seeds.py --headroom --seeds 0
    python benchmarks/ddfp_demo_seeds.py --seeds 0 1 2 3 4 --labeled-split 25
"""
import argparse
import json
import os
import os.path as osp
import statistics

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mmsuperpix.visualization import read_scalars
from sweep_utils import REPO, interval, train

DEMO = osp.join(REPO, 'configs', 'demo')
SUPERVISED = 'supervised_deeplabv3plus_r18w16-d8_1xb4-1500_demovoc-128x128.py'
# name: (config under configs/demo or a path, --cfg-options)
METHODS = {
    'supervised': (SUPERVISED, []),
    'mean teacher': ('mean-teacher_deeplabv3plus_r18w16-d8_1xb8-1500_'
                     'demovoc-128x128.py', []),
    'UniMatch-FP': ('unimatch-fp_deeplabv3plus_r18w16-d8_1xb8-1500_'
                    'demovoc-128x128.py', []),
    'DDFP': ('ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py', []),
    # the student as its own teacher replaced by a lagging EMA teacher
    'DDFP ema': ('ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py',
                 ['model.semi_train_cfg.teacher=ema']),
    'DDFP + pooling': (osp.join(REPO, 'configs', 'superpixel_pooling',
                                'sp-pool_ddfp_deeplabv3plus_r18w16-d8_1xb8-'
                                '1500_demovoc-128x128.py'), []),
}
DEFAULT_METHODS = ['supervised', 'mean teacher', 'UniMatch-FP', 'DDFP']
ALL_LABELED = 'train_dataloader.dataset.ann_file=ImageSets/Segmentation/' \
    'train.txt'


def scores(work_dir: str):
    """``{'final', 'student', 'best', 'iters'}`` of the newest finished run
    under ``work_dir`` (None if there is none) and its scalars file."""
    if not osp.isdir(work_dir):
        return None, None
    for run in sorted(os.listdir(work_dir), reverse=True):
        path = osp.join(work_dir, run, 'vis_data', 'scalars.json')
        if not osp.isfile(path):
            continue
        _, val = read_scalars(path)
        if 'teacher/mIoU' in val:
            steps, teacher = val['teacher/mIoU']
            student = val['student/mIoU'][1]
            return dict(final=teacher[-1], student=student[-1],
                        best=max(teacher + student), iters=steps[-1]), path
        if 'mIoU' in val:
            steps, values = val['mIoU']
            return dict(final=values[-1], student=values[-1],
                        best=max(values), iters=steps[-1]), path
    return None, None


def run(method: str, seed: int, split: str, args) -> dict:
    config, options = METHODS[method]
    work_dir = osp.join(args.out_dir, f'split{split}',
                        method.replace(' ', '_'), f'seed{seed}')
    done, path = scores(work_dir)
    if done is None or done['iters'] < args.max_iters:
        print(f'== {method}, {split} labeled, seed {seed}', flush=True)
        split_options = [ALL_LABELED] if split == 'all' else [
            f'labeled_split={split}']
        data = [f'data_root={args.data_root}'] if args.data_root else []
        train(config if osp.isabs(config) else osp.join(DEMO, config),
              work_dir, [f'randomness.seed={seed}', *split_options,
                         f'max_iters={args.max_iters}', *data, *options])
        done, path = scores(work_dir)
    done['scalars'] = path
    return done


def report(results, seeds, split, args) -> None:
    print(f'\ndemo data, {split} labeled images, {args.max_iters} '
          f'iterations, seeds {seeds} (final = teacher of semi-supervised '
          'runs)')
    base = [r['final'] for r in results.get('supervised', [])]
    for method, runs in results.items():
        line = f'  {method:15s}'
        for key in ('final', 'student', 'best'):
            values = [r[key] for r in runs]
            spread = statistics.stdev(values) if len(values) > 1 else 0.0
            line += f'  {key} {statistics.mean(values):6.2f} +- {spread:5.2f}'
        finals = ', '.join(f'{r["final"]:.2f}' for r in runs)
        print(f'{line}   (final: {finals})')
        if method != 'supervised' and len(base) == len(runs):
            mean, half = interval([r['final'] - b for r, b in zip(runs, base)])
            print(f'  {"":15s}  paired final - supervised: {mean:+.2f} '
                  f'[{mean - half:+.2f}, {mean + half:+.2f}] (95% t)')
    semi = [m for m in results if m != 'supervised']
    for i, first in enumerate(semi):  # the semi-supervised methods' order
        for second in semi[i + 1:]:
            pairs = list(zip(results[first], results[second]))
            mean, half = interval([a['final'] - b['final'] for a, b in pairs])
            print(f'  paired final {first} - {second}: {mean:+.2f} '
                  f'[{mean - half:+.2f}, {mean + half:+.2f}] (95% t)')


def plot_pseudo_labels(results, out_file: str) -> None:
    """Pseudo-label precision, recall and coverage, mean over seeds."""
    keys = ('pseudo.precision', 'pseudo.recall', 'pseudo.coverage')
    fig = Figure(figsize=(15, 4), tight_layout=True)
    FigureCanvasAgg(fig)
    axes = [fig.add_subplot(1, 3, i + 1) for i in range(3)]
    for method, runs in results.items():
        series = [read_scalars(r['scalars'])[0] for r in runs]
        for ax, key in zip(axes, keys):
            curves = [s[key] for s in series if key in s]
            if not curves:
                continue
            length = min(len(c[0]) for c in curves)
            mean = [statistics.mean(c[1][i] for c in curves)
                    for i in range(length)]
            ax.plot(curves[0][0][:length], mean, label=method)
    for ax, key in zip(axes, keys):
        ax.set_title(f'{key} (mean over seeds)')
        ax.set_xlabel('iteration')
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.savefig(out_file, dpi=100)
    print(f'pseudo-label curves: {out_file}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2, 3, 4])
    parser.add_argument('--labeled-split', default='25')
    parser.add_argument('--methods', nargs='+', default=DEFAULT_METHODS,
                        choices=list(METHODS))
    parser.add_argument('--headroom', action='store_true',
                        help='only supervised-only with 25, 50 and all 400 '
                        'labeled images')
    parser.add_argument('--data-root', help='default: the configs\' data_root')
    parser.add_argument('--out-dir',
                        default=osp.join(REPO, 'work_dirs', 'ddfp_demo'))
    parser.add_argument('--max-iters', type=int, default=1500)
    args = parser.parse_args()
    if args.headroom:
        for split in ('25', '50', 'all'):
            runs = [run('supervised', s, split, args) for s in args.seeds]
            report({'supervised': runs}, args.seeds, split, args)
        return
    results = {}
    # seed-major, so an interrupted sweep still compares every method
    for seed in args.seeds:
        for method in args.methods:
            results.setdefault(method, []).append(
                run(method, seed, args.labeled_split, args))
    report(results, args.seeds, args.labeled_split, args)
    semi = {m: r for m, r in results.items() if m != 'supervised'}
    if semi:
        plot_pseudo_labels(semi, osp.join(
            args.out_dir, f'split{args.labeled_split}_pseudo_labels.png'))
    with open(osp.join(args.out_dir, f'split{args.labeled_split}.json'),
              'w') as f:
        json.dump({m: [{k: v for k, v in r.items() if k != 'scalars'}
                       for r in runs] for m, runs in results.items()}, f,
                  indent=1)


if __name__ == '__main__':
    main()
