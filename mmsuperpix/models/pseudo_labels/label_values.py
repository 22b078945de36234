"""The label values of pseudo-labels and unlabeled validity maps."""

#: Label value of pixels that carry no pseudo-label (mmseg's ignore index).
IGNORE_INDEX = 255
#: In an unlabeled sample's validity map (``LoadUnlabeledValidity``): a
#: valid pixel whose true label is unknown (255 there marks padding).
UNKNOWN_LABEL = 254
