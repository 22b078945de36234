from .voc_split import VOCSplitDataset

__all__ = ['VOCSplitDataset']
