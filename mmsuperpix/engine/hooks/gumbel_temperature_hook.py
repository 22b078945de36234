"""Cosine annealing of NeuralEF's Gumbel-softmax temperature."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from mmsuperpix.registry import HOOKS


@HOOKS.register_module()
class GumbelTemperatureHook(Hook):
    """Before every training iteration, set the decode head's Gumbel
    temperature by its cosine schedule over the run (NeuralEF: 1.0 to 0.3
    per iteration), through the head's ``anneal(progress)``.

    Args:
        head (str): Attribute of the model holding the head. Defaults to
            ``'decode_head'``.
    """

    priority = 'NORMAL'

    def __init__(self, head: str = 'decode_head') -> None:
        self.head = head

    def before_train_iter(self, runner: Runner, batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else \
            runner.model
        head = getattr(model, self.head, None)
        if head is None or not hasattr(head, 'anneal'):
            raise TypeError(f'GumbelTemperatureHook: the model has no '
                            f'{self.head!r} with an anneal(progress) method '
                            '(a NeuralEFHead)')
        tau = head.anneal(runner.iter / max(runner.max_iters - 1, 1))
        runner.message_hub.update_scalar('train/gumbel_tau', tau)
