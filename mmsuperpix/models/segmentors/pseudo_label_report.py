"""Coverage and precision of pseudo-labels against reference labels."""
from typing import Dict

import torch
from mmengine.logging import MessageHub
from mmseg.utils import SampleList

from ..pseudo_labels import IGNORE_INDEX, UNKNOWN_LABEL


@torch.no_grad()
def pseudo_label_report(pseudo: torch.Tensor,
                        samples: SampleList) -> Dict[str, torch.Tensor]:
    """What makes a semi-supervised run debuggable: how many pixels get a
    pseudo-label, and how many of those are right.

    The weak views' ``gt_sem_seg`` is their validity map
    (``LoadUnlabeledValidity``): 255 on padding, 254 where the true label
    is unknown, and the true label where reference labels were loaded
    (diagnostics only). Returns ``pseudo.coverage``, the share of valid
    pixels with a pseudo-label; over the pixels with a reference label,
    also ``pseudo.precision`` (correct / pseudo-labelled) and
    ``pseudo.recall`` (correctly pseudo-labelled / all), and for each
    class ``c`` in the batch it puts ``train/pseudo.precision.c<c>`` and
    ``train/pseudo.recall.c<c>`` into mmengine's message hub (logged and
    plotted with the losses).

    Args:
        pseudo (Tensor): ``(N, H, W)`` pseudo-labels, 255 = none.
        samples (list[SegDataSample]): The weak views' samples.

    Returns:
        dict: Scalar tensors (no ``loss`` in their names: logged only).
    """
    reference = torch.stack([s.gt_sem_seg.data[0] for s in samples]).to(
        pseudo.device).long()
    labelled = pseudo != IGNORE_INDEX
    valid = reference != IGNORE_INDEX
    report = {'pseudo.coverage': (labelled & valid).sum() /
              valid.sum().clamp_min(1)}
    known = reference < UNKNOWN_LABEL
    if not bool(known.any()):
        return report
    taken = known & labelled
    correct = taken & (pseudo == reference)
    report['pseudo.precision'] = correct.sum() / taken.sum().clamp_min(1)
    report['pseudo.recall'] = correct.sum() / known.sum()
    size = int(torch.cat([reference[known], pseudo[taken]]).max()) + 1
    per_class = torch.stack([
        torch.bincount(reference[known], minlength=size),
        torch.bincount(pseudo[taken], minlength=size),
        torch.bincount(pseudo[correct], minlength=size)]).tolist()
    hub = MessageHub.get_current_instance()
    for c, (in_ref, in_pseudo, right) in enumerate(zip(*per_class)):
        if in_ref:
            hub.update_scalar(f'train/pseudo.recall.c{c}', right / in_ref)
        if in_pseudo:
            hub.update_scalar(f'train/pseudo.precision.c{c}',
                              right / in_pseudo)
    return report
