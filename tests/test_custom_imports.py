"""An ordinary mmseg config with the custom_imports line uses every
mmsuperpix component by bare name (in a fresh interpreter)."""
import json
import os.path as osp
import textwrap

from conftest import run_tool

PROBE = textwrap.dedent('''
    import json, sys
    from mmengine.config import Config
    from mmengine.registry import Registry, init_default_scope
    assert 'mmsuperpix' not in sys.modules
    cfg = Config.fromfile(sys.argv[1])
    assert 'mmsuperpix' in sys.modules, 'custom_imports did not import it'
    init_default_scope(cfg.default_scope)
    import mmseg.registry as regs
    from mmseg.registry import DATASETS, HOOKS
    found = []
    for reg in vars(regs).values():
        if not isinstance(reg, Registry):
            continue
        reg.import_from_location()
        for name, cls in list(reg.module_dict.items()):
            if cls.__module__.startswith('mmsuperpix.'):
                assert reg.get(name) is cls, name
                found.append(name)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    hook = HOOKS.build(cfg.custom_hooks[0])
    print(json.dumps(dict(found=found, n=len(dataset),
                          dataset=type(dataset).__name__,
                          hook=type(hook).__name__)))
''')


def test_plain_mmseg_config_uses_components_by_bare_name(tmp_path, demo_root):
    config = tmp_path / 'plain_mmseg_config.py'
    config.write_text(textwrap.dedent(f'''
        # an mmseg config elsewhere: mmseg's own bases plus one line
        _base_ = ['mmseg::_base_/datasets/pascal_voc12.py',
                  'mmseg::_base_/default_runtime.py']
        custom_imports = dict(imports=['mmsuperpix'],
                              allow_failed_imports=False)
        train_dataloader = dict(dataset=dict(
            type='VOCSplitDataset',
            data_root={osp.join(demo_root, 'VOC2012')!r}))
        custom_hooks = [dict(type='MetricCurvesHook')]
    '''))
    probe = tmp_path / 'probe.py'
    probe.write_text(PROBE)
    proc = run_tool([str(probe), str(config)], cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {'VOCSplitDataset', 'MetricCurvesHook'} <= set(out['found'])
    assert out['dataset'] == 'VOCSplitDataset' and out['n'] == 8
    assert out['hook'] == 'MetricCurvesHook'
