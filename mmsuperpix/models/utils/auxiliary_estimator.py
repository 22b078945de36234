"""The contract of an auxiliary network trained by its own optimiser."""
from abc import ABCMeta, abstractmethod
from typing import Dict, Optional

import torch


class AuxiliaryEstimator(metaclass=ABCMeta):
    """A part of a model that is trained by its own optimiser, on what the
    main model's forward pass left behind (DDFP's density flow; CDS's CLUB
    mutual-information estimator).

    Its parameters must not be trained by the main optimiser: keep them
    ``requires_grad=False`` outside :meth:`estimator_step` (the main loss
    then never reaches them, and mmengine's optimiser ignores them). During
    ``loss`` the owner stores what the estimator needs (detached); after the
    main optimiser's step, ``AuxiliaryEstimatorHook`` calls
    :meth:`estimator_step` once per iteration with the optimiser it built
    from :attr:`estimator_optimizer` (an mmengine ``OPTIMIZERS`` config
    without ``params``), schedules its learning rate, and saves and
    restores the optimiser state with the checkpoints.
    """

    #: mmengine optimiser config, e.g. ``dict(type='Adam', lr=1e-3)``.
    estimator_optimizer: dict

    @abstractmethod
    def estimator_step(self, optimizer: torch.optim.Optimizer
                       ) -> Optional[Dict[str, float]]:
        """One update on the stored batch, which it then forgets.

        Returns:
            dict or None: None when nothing was stored (no step taken);
            otherwise the scalars to log, plus ``skipped`` (bool) when the
            step was refused (non-finite loss or gradients).
        """
