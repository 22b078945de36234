from .density_descending_perturbation import DensityDescendingPerturbation
from .dropout_perturbation import DropoutFeaturePerturbation

__all__ = ['DensityDescendingPerturbation', 'DropoutFeaturePerturbation']
