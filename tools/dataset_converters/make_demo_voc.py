"""Generate the embedded synthetic demo dataset in PASCAL VOC 2012 layout.

Example:
    python tools/dataset_converters/make_demo_voc.py data/demo_voc
"""
import argparse
import time

from mmsuperpix.datasets.synthetic import make_demo_voc


def parse_args():
    parser = argparse.ArgumentParser(
        description='Generate the synthetic VOC-layout demo dataset')
    parser.add_argument('out_dir', help='output root (VOC2012/ and splits/)')
    parser.add_argument('--num-train', type=int, default=400)
    parser.add_argument('--num-val', type=int, default=100)
    parser.add_argument(
        '--labeled', type=int, nargs='+', default=[25, 50, 100],
        help='sizes of the labeled subsets written as semi-supervised splits')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def main():
    args = parse_args()
    start = time.time()
    meta = make_demo_voc(args.out_dir, args.num_train, args.num_val,
                         args.labeled, seed=args.seed)
    print(f'\nwrote {meta["num_train"]} train + {meta["num_val"]} val images '
          f'(classes {meta["classes"]}) to {args.out_dir} in '
          f'{time.time() - start:.1f}s')


if __name__ == '__main__':
    main()
