"""`import mmsuperpix` registers its components into mmseg's registries."""
import mmseg.registry as mmseg_registry
import pytest
from mmengine.registry import Registry

import mmsuperpix
from mmsuperpix import registry


def own_components():
    """(registry, name, class) for every component mmsuperpix registers."""
    return [(reg, name, cls) for reg in vars(registry).values()
            if isinstance(reg, Registry)
            for name, cls in reg.module_dict.items()
            if getattr(cls, '__module__', '').startswith('mmsuperpix.')]


def test_registry_reexports_every_mmseg_registry():
    theirs = {k for k, v in vars(mmseg_registry).items()
              if isinstance(v, Registry)}
    ours = {k for k, v in vars(registry).items() if isinstance(v, Registry)}
    assert ours == theirs
    for name in ours:
        assert getattr(registry, name) is getattr(mmseg_registry, name)


def test_import_registers_components():
    names = {name for _, name, _ in own_components()}
    assert {'VOCSplitDataset', 'MetricCurvesHook'} <= names
    assert registry.DATASETS.get('VOCSplitDataset').__module__ == (
        'mmsuperpix.datasets.voc_split')
    assert mmsuperpix.__version__


def test_registering_an_existing_mmseg_name_raises():
    with pytest.raises(KeyError, match='already registered'):

        @registry.DATASETS.register_module(name='VOCSplitDataset')
        class Clash:
            pass
