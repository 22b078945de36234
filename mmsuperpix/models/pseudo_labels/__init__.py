from .confidence_threshold import ConfidenceThreshold
from .label_values import IGNORE_INDEX, UNKNOWN_LABEL
from .self_adaptive_threshold import SelfAdaptiveThreshold

__all__ = [
    'IGNORE_INDEX', 'UNKNOWN_LABEL', 'ConfidenceThreshold',
    'SelfAdaptiveThreshold'
]
