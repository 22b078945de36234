"""The error of a config or ``--cfg-options`` entry that cannot work."""


class ConfigError(ValueError):
    """A config or ``--cfg-options`` entry that cannot work as written."""
