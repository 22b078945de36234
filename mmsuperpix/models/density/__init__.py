from .flow_density_estimator import FlowDensityEstimator
from .glow_coupling import GLOWCoupling

__all__ = ['FlowDensityEstimator', 'GLOWCoupling']
