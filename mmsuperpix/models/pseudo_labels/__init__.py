from .confidence_threshold import (IGNORE_INDEX, UNKNOWN_LABEL,
                                   ConfidenceThreshold)
from .self_adaptive_threshold import SelfAdaptiveThreshold

__all__ = ['IGNORE_INDEX', 'UNKNOWN_LABEL', 'ConfidenceThreshold', 'SelfAdaptiveThreshold']
