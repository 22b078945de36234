"""The safeguards ``tools/train.py`` and ``tools/test.py`` add to any config.

They hold for every run of the tools, whatever the config (ours or a plain
mmseg config with ``custom_imports``), so they are added here rather than
repeated in every config's ``custom_hooks`` (a list, which a child config
replaces instead of extending). ``tools/misc/print_config.py`` shows them.
"""
from mmengine.config import Config

#: Hooks (mmsuperpix/engine/hooks) every run gets unless its config lists
#: them: stop on a non-finite loss and never save NaN weights; refuse a
#: checkpoint of another model; resume with the model's random state.
SAFEGUARD_HOOKS = ('NonFiniteGuardHook', 'CheckpointFitHook',
                   'RandomStateHook')


def add_run_safeguards(cfg: Config) -> None:
    """Add :data:`SAFEGUARD_HOOKS` to ``cfg.custom_hooks`` and make
    mmengine's ``CheckpointHook`` an ``AtomicCheckpointHook`` (same
    arguments; mmengine's default one when the config sets none). A
    checkpoint hook set to None, or of another type, is left alone."""
    hooks = list(cfg.get('custom_hooks', None) or [])
    present = {hook.get('type') for hook in hooks}
    cfg.custom_hooks = hooks + [
        dict(type=name) for name in SAFEGUARD_HOOKS if name not in present
    ]
    default_hooks = cfg.get('default_hooks', None)
    if default_hooks is None:
        cfg.default_hooks = default_hooks = {}
    if 'checkpoint' not in default_hooks:
        default_hooks['checkpoint'] = dict(type='CheckpointHook', interval=1)
    checkpoint = default_hooks['checkpoint']
    if isinstance(checkpoint, dict) and checkpoint.get('type') in (
            'CheckpointHook', 'mmengine.CheckpointHook'):
        checkpoint['type'] = 'AtomicCheckpointHook'
