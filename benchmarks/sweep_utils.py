"""Shared plumbing of the seed-sweep benchmarks: run tools/train.py or
tools/test.py in a subprocess and read back the final metrics."""
import glob
import json
import math
import os
import os.path as osp
import statistics
import subprocess
import sys
from typing import Dict, List, Optional, Sequence, Tuple

from scipy import stats

from mmsuperpix.visualization import read_scalars

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: The learned superpixel models the superpixel benchmarks compare.
SUPERPIXEL_CONFIGS = {
    'SCN': 'configs/scn/scn_1xb16-4k_bsds500-208x208.py',
    'AINet': 'configs/ainet/ainet_1xb16-4k_bsds500-208x208.py',
    'SCN+SSN': 'configs/ssn/ssn_scn_1xb16-4k_bsds500-208x208.py',
    'AINet+SSN': 'configs/ssn/ssn_ainet_1xb16-4k_bsds500-208x208.py',
    'CDS': 'configs/cds/cds_1xb16-4k_bsds500-208x208.py',
}
#: The same models per training recipe: AINet's (Adam 8e-5, step
#: decay; the configs above) and the default model's (Adam 4e-4, 5% warm-up,
#: cosine decay).
SUPERPIXEL_RECIPES = {
    'ainet': SUPERPIXEL_CONFIGS,
    'cosine': {
        name: config.replace('-4k_', '-warmup-cosine-4k_')
        for name, config in SUPERPIXEL_CONFIGS.items()
    },
}


def interval(diffs: Sequence[float]) -> Tuple[float, float]:
    """Mean and 95% t-interval half-width of paired differences (NaN
    half-width for fewer than two)."""
    diffs = [float(d) for d in diffs]
    mean = statistics.mean(diffs)
    if len(diffs) < 2:
        return mean, float('nan')
    half = stats.t.ppf(0.975, len(diffs) - 1) * statistics.stdev(
        diffs) / math.sqrt(len(diffs))
    return mean, half


def final_metric(work_dir: str, key: str) -> Optional[Tuple[int, float]]:
    """``(iteration, value)`` of the last validation of ``key`` in the
    newest run under ``work_dir`` that logged it, or None."""
    if not osp.isdir(work_dir):
        return None
    runs = sorted(osp.join(work_dir, d) for d in os.listdir(work_dir)
                  if osp.isfile(osp.join(work_dir, d, 'vis_data',
                                         'scalars.json')))
    for run in reversed(runs):
        _, val = read_scalars(osp.join(run, 'vis_data', 'scalars.json'))
        if key in val:
            steps, values = val[key]
            return steps[-1], values[-1]
    return None


def train(config: str, work_dir: str, options: List[str]) -> None:
    """``tools/train.py config --work-dir work_dir --cfg-options ...``."""
    cmd = [sys.executable, osp.join(REPO, 'tools', 'train.py'), config,
           '--work-dir', work_dir]
    if options:
        cmd += ['--cfg-options', *options]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=REPO)


def test(config: str, checkpoint: str, work_dir: str,
         options: List[str]) -> Dict[str, float]:
    """``tools/test.py``; returns the metrics of the newest test log."""
    cmd = [sys.executable, osp.join(REPO, 'tools', 'test.py'), config,
           checkpoint, '--work-dir', work_dir]
    if options:
        cmd += ['--cfg-options', *options]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=REPO)
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.json')))
    with open(logs[-1]) as f:
        return json.loads(f.read().strip().splitlines()[-1])
