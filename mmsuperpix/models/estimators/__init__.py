from .club_estimator import CLUBEstimator
from .flow_density_estimator import FlowDensityEstimator
from .glow_coupling import GLOWCoupling

__all__ = ['CLUBEstimator', 'FlowDensityEstimator', 'GLOWCoupling']
