from .compat import load_local_checkpoint
from .config_check import (ConfigError, check_cfg_options,
                           check_component_types, check_weight_files)
from .dist import replace_sync_bn, setup_cpu_distributed, shutdown_distributed
from .run_config import (add_run_arguments, export_local_rank,
                         fill_placeholders, load_run_config)

__all__ = [
    'ConfigError', 'add_run_arguments', 'check_cfg_options',
    'check_component_types', 'check_weight_files', 'export_local_rank',
    'fill_placeholders', 'load_local_checkpoint', 'load_run_config',
    'replace_sync_bn', 'setup_cpu_distributed', 'shutdown_distributed'
]
