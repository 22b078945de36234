"""Build a tool's datasets before the runner, so data errors come first.

mmengine builds the datasets only when a loop starts, after the model, the
hooks and a long log. A wrong ``data_root``, a split list naming missing
files, overlapping labeled and unlabeled lists or an empty list then end a
run minutes in, buried under hundreds of lines. Building the datasets first
(lists and file checks only: images are decoded by the pipeline, which does
not run here) makes their message the last thing the user sees.
"""
import copy
from typing import List

from mmengine.config import Config
from mmengine.registry import DATASETS, init_default_scope

from .config_errors import ConfigError


def dataloaders_used(cfg: Config, phase: str) -> List[str]:
    """The dataloader keys whose datasets ``phase`` will build.

    Args:
        cfg (Config): The merged config.
        phase (str): ``'train'`` (``train_dataloader``, plus
            ``val_dataloader`` when ``val_cfg`` and ``val_evaluator`` are
            set, as mmengine's Runner requires for validation) or
            ``'test'`` (``test_dataloader``).

    Returns:
        list[str]: The keys, in the order the runner uses them.
    """
    if phase == 'test':
        return ['test_dataloader']
    if phase != 'train':
        raise ValueError(f"phase must be 'train' or 'test', got {phase!r}")
    keys = ['train_dataloader']
    if all(cfg.get(k) is not None
           for k in ('val_dataloader', 'val_cfg', 'val_evaluator')):
        keys.append('val_dataloader')
    return keys


def check_datasets(cfg: Config, phase: str) -> None:
    """Build the datasets a tool will use, reporting their errors as
    ConfigError.

    The datasets are built with the registry under the config's
    ``default_scope`` (as mmengine's Runner does), so mmseg and mmsuperpix
    datasets and wrappers (``ConcatDataset``...) all build. They are thrown
    away; the runner builds them again.

    Args:
        cfg (Config): The merged config (placeholders filled).
        phase (str): ``'train'`` or ``'test'``, see
            :func:`dataloaders_used`.

    Raises:
        ConfigError: ``'<dataloader key>: <error type>: <the dataset's own
            message>'`` for the first dataset that cannot be built.
    """
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    for key in dataloaders_used(cfg, phase):
        loader = cfg.get(key)
        if not loader or loader.get('dataset') is None:
            continue
        try:
            dataset = DATASETS.build(copy.deepcopy(loader['dataset']))
            getattr(dataset, 'full_init', lambda: None)()  # lazy_init=True
        except Exception as e:  # any failure here is the data's problem
            raise ConfigError(f'{key}: {type(e).__name__}: {e}') from e
