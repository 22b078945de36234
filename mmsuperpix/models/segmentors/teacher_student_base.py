"""Prediction and checkpoint plumbing shared by teacher-student models."""
from typing import List, Optional

import torch
import torch.nn as nn
from mmseg.models.segmentors import BaseSegmentor
from mmseg.utils import SampleList


class TeacherStudentBase(BaseSegmentor):
    """An mmseg segmentor made of two of the same segmentor, ``student`` and
    ``teacher`` (set by the subclass), as mmdet's ``SemiBaseDetector``.

    Inference (``predict``, ``_forward``, ``encode_decode``,
    ``extract_feat``) runs the model ``semi_test_cfg['predict_on']`` names,
    ``'teacher'`` or ``'student'`` (``TeacherStudentValLoop`` validates
    both); either is a plain mmseg segmentor. A plain segmentor checkpoint
    (no ``student.``/``teacher.`` keys) loads into both.
    """
    student: nn.Module
    teacher: nn.Module
    semi_test_cfg: dict

    def _predictor(self) -> nn.Module:
        which = self.semi_test_cfg['predict_on']
        if which not in ('teacher', 'student'):
            raise ValueError(f"predict_on must be 'teacher' or 'student', "
                             f'got {which!r}')
        return getattr(self, which)

    def extract_feat(self, inputs: torch.Tensor):
        """Features of the model chosen by ``predict_on``."""
        return self._predictor().extract_feat(inputs)

    def encode_decode(self, inputs: torch.Tensor,
                      batch_img_metas: List[dict]) -> torch.Tensor:
        """Logits of the model chosen by ``predict_on``."""
        return self._predictor().encode_decode(inputs, batch_img_metas)

    def _forward(self, inputs, data_samples=None):
        return self._predictor()._forward(inputs, data_samples)

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None) -> SampleList:
        """Plain mmseg prediction of the teacher or the student."""
        return self._predictor().predict(inputs, data_samples)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        keys = [k for k in state_dict if k.startswith(prefix)]
        if keys and not any(k[len(prefix):].startswith(('student.',
                                                        'teacher.'))
                            for k in keys):
            for key in keys:  # a plain segmentor checkpoint: load it twice
                value = state_dict.pop(key)
                name = key[len(prefix):]
                state_dict[f'{prefix}student.{name}'] = value
                state_dict[f'{prefix}teacher.{name}'] = value.clone()
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
