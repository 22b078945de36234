from .checkpoint_fit import load_state_dict_checked
from .checkpoint_loading import (CheckpointError,
                                 add_unsafe_checkpoint_argument,
                                 load_local_checkpoint,
                                 set_unsafe_checkpoint_loading)
from .config_check import (check_cfg_options, check_component_types,
                           check_weight_files)
from .config_errors import ConfigError
from .data_check import check_datasets
from .dist import replace_sync_bn, setup_cpu_distributed, shutdown_distributed
from .resume_checkpoint import checkpoint_damage, find_resume_checkpoint
from .placeholders import fill_placeholders
from .run_config import (add_run_arguments, export_local_rank,
                         load_run_config, load_tool_config)
from .run_safeguards import add_run_safeguards
from .vit_conversion import timm_vit_to_mmseg, vit_state_dict

__all__ = [
    'CheckpointError', 'ConfigError', 'add_run_arguments',
    'add_unsafe_checkpoint_argument',
    'add_run_safeguards', 'check_cfg_options', 'check_component_types',
    'check_datasets', 'check_weight_files', 'checkpoint_damage',
    'export_local_rank', 'fill_placeholders', 'find_resume_checkpoint',
    'load_local_checkpoint', 'load_run_config', 'load_tool_config',
    'load_state_dict_checked',
    'replace_sync_bn', 'set_unsafe_checkpoint_loading',
    'setup_cpu_distributed', 'shutdown_distributed', 'timm_vit_to_mmseg',
    'vit_state_dict'
]
