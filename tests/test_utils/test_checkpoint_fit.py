"""A checkpoint of another model is refused, not loaded as random weights
(the tool-level cases are in test_tools)."""
import pytest
import torch
import torch.nn as nn

from mmsuperpix.utils import CheckpointError, load_state_dict_checked


def net(width=4, classes=3):
    return nn.Sequential(nn.Conv2d(3, width, 3), nn.BatchNorm2d(width),
                         nn.Conv2d(width, classes, 1))


def test_matching_checkpoint_loads():
    source, target = net(), net()
    result = load_state_dict_checked(target, source.state_dict(), 'a.pth')
    assert not (result.missing or result.unexpected or result.mismatched)
    assert torch.equal(target[0].weight, source[0].weight)


def test_ddp_prefix_and_other_head_size_still_fit():
    source = {f'module.{k}': v for k, v in net(classes=5).state_dict().items()}
    target = net(classes=3)
    result = load_state_dict_checked(target, source, 'a.pth')
    assert result.mismatched == ['2.weight', '2.bias']  # skipped, not fatal
    assert torch.equal(target[0].weight, source['module.0.weight'])


def test_another_model_is_refused_with_what_it_holds():
    other = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 3)).state_dict()
    with pytest.raises(CheckpointError, match="'other.pth' does not fit") \
            as info:
        load_state_dict_checked(net(), other, 'other.pth')
    assert 'fills 0 of' in str(info.value)


def test_semi_supervised_checkpoint_names_the_export_tool():
    state = {f'{role}.{k}': v for role in ('student', 'teacher')
             for k, v in net().state_dict().items()}
    with pytest.raises(CheckpointError, match='--submodule teacher'):
        load_state_dict_checked(net(), state, 'ddfp.pth')


def test_batchnorm_counters_are_not_evidence_of_a_fit():
    model = net()
    only_counter = {'1.num_batches_tracked': torch.tensor(5)}
    with pytest.raises(CheckpointError):
        load_state_dict_checked(model, only_counter, 'c.pth')


def test_share_threshold():
    state = net().state_dict()
    half = {k: v for k, v in state.items() if k.startswith(('0.', '1.'))}
    load_state_dict_checked(net(), half, 'h.pth', min_share=0.5)
    with pytest.raises(CheckpointError):
        load_state_dict_checked(net(), half, 'h.pth', min_share=0.9)
