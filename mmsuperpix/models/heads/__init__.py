from .association_head import AssociationHead

__all__ = ['AssociationHead']
