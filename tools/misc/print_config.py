"""Print the full config after inheritance and --cfg-options.

Example:
    python tools/misc/print_config.py configs/demo/<config>.py \
        --cfg-options train_dataloader.batch_size=4
"""
import argparse
import sys

from mmengine.config import DictAction

import mmsuperpix  # noqa: F401
from mmsuperpix.utils import ConfigError, load_run_config


def parse_args():
    parser = argparse.ArgumentParser(description='Print the whole config')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='overrides in xxx=yyy format, as for tools/train.py')
    return parser.parse_args()


def main():
    args = parse_args()
    try:
        cfg = load_run_config(args.config, args.cfg_options, check_files=False)
    except ConfigError as e:
        sys.exit(f'error: {e}')
    print(cfg.pretty_text)


if __name__ == '__main__':
    main()
