"""Pack one sample into the views (branches) of semi-supervised training."""
import copy
from typing import Callable, Dict, List, Optional, Sequence, Union

from mmcv.transforms import BaseTransform, Compose

from mmsuperpix.registry import TRANSFORMS


@TRANSFORMS.register_module()
class MultiBranch(BaseTransform):
    """Run one pipeline per branch on copies of a sample; pack by branch.

    The idea follows mmdetection 3.x's ``MultiBranch``; this is a fresh
    implementation. Every branch pipeline runs on its own deep copy of
    ``results``, so geometric augmentation done *before* this transform is
    shared (the views stay pixel-aligned) and whatever a branch does is not
    seen by the others. Each branch pipeline must end with a pack transform
    (``PackSegInputs``) that returns ``inputs`` and ``data_samples``.

    A labeled dataset gives e.g. ``MultiBranch(sup=[PackSegInputs])`` and
    an unlabeled one ``MultiBranch(unsup_teacher=[PackSegInputs],
    unsup_student=[StrongPhotometricAugment, PackSegInputs])``, both with
    the same ``branch_field``: every sample then has every branch, set to
    ``None`` where its dataset gives no pipeline, so ``pseudo_collate`` of a
    mixed batch keeps one entry per sample in every branch.

    Required Keys:

    - whatever the branch pipelines need (``img``, ``gt_seg_map``, ...).

    Modified Keys:

    - none: ``results`` itself is not changed.

    Added Keys:

    - none: a new dict is returned, ``{'inputs': {branch: (3, H, W) uint8
      Tensor or None}, 'data_samples': {branch: SegDataSample or None}}``
      with one entry per name in ``branch_field``.

    Args:
        branch_field (list[str]): All branch names of the training setup,
            in order. Defaults to ``['sup', 'unsup_teacher',
            'unsup_student']``.
        **branch_pipelines (list[dict | callable]): The pipeline of each
            branch this dataset feeds, named as in ``branch_field``.
    """

    def __init__(self,
                 branch_field: Optional[Sequence[str]] = None,
                 **branch_pipelines: List[Union[dict, Callable]]) -> None:
        super().__init__()
        if branch_field is None:
            branch_field = ['sup', 'unsup_teacher', 'unsup_student']
        if (isinstance(branch_field, str) or not branch_field
                or not all(isinstance(b, str) for b in branch_field)):
            raise TypeError('branch_field must be a non-empty list of branch '
                            f'names, got {branch_field!r}.')
        if len(set(branch_field)) != len(branch_field):
            raise ValueError(f'branch_field {list(branch_field)} repeats a '
                             'name; list every branch once.')
        if not branch_pipelines:
            raise ValueError(
                'MultiBranch got no branch pipeline; pass one per branch '
                f'this dataset feeds, e.g. {branch_field[0]}=[dict('
                "type='PackSegInputs')].")
        unknown = sorted(set(branch_pipelines) - set(branch_field))
        if unknown:
            raise ValueError(
                f'MultiBranch got pipelines for {unknown}, which are not in '
                f'branch_field {list(branch_field)}; fix the branch names or '
                'add them to branch_field.')
        self.branch_field = list(branch_field)
        self.branch_pipelines: Dict[str, Compose] = {}
        for name, pipeline in branch_pipelines.items():
            if not isinstance(pipeline, (list, tuple)) or not pipeline:
                raise TypeError(
                    f'the pipeline of branch {name!r} must be a non-empty '
                    f'list of transforms ending with PackSegInputs, got '
                    f'{pipeline!r}.')
            # build in mmseg's registry: finds mmseg, mmcv and mmsuperpix
            # transforms whatever the default scope
            self.branch_pipelines[name] = Compose([
                TRANSFORMS.build(t) if isinstance(t, dict) else t
                for t in pipeline
            ])

    def transform(self, results: dict) -> Optional[dict]:
        """Run every branch pipeline on a deep copy of ``results``.

        Args:
            results (dict): The sample after the shared (geometric) pipeline.

        Returns:
            dict | None: ``{'inputs': {branch: Tensor | None},
            'data_samples': {branch: SegDataSample | None}}``, or ``None``
            when a branch pipeline drops the sample (the dataset then draws
            another one).
        """
        packed = {
            'inputs': {b: None for b in self.branch_field},
            'data_samples': {b: None for b in self.branch_field}
        }
        for name, pipeline in self.branch_pipelines.items():
            out = pipeline(copy.deepcopy(results))
            if out is None:
                return None
            if (not isinstance(out, dict) or 'inputs' not in out
                    or 'data_samples' not in out):
                got = sorted(out) if isinstance(out, dict) else type(out)
                raise ValueError(
                    f'the pipeline of branch {name!r} returned {got}, not '
                    "'inputs' and 'data_samples'; end it with "
                    "dict(type='PackSegInputs').")
            packed['inputs'][name] = out['inputs']
            packed['data_samples'][name] = out['data_samples']
        return packed

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(branch_field='
                f'{self.branch_field}, branch_pipelines='
                f'{self.branch_pipelines})')
