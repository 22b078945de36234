from .ainet_encoder_decoder import AINetEncoderDecoder
from .cds_decoder import CDSDecoder
from .cds_embedder import CDSEmbedder
from .cds_encoder_decoder import CDSEncoderDecoder
from .scn_encoder import SCNEncoder
from .scn_encoder_decoder import SCNEncoderDecoder
from .unsupervised_superpixel_net import UnsupervisedSuperpixelNet

__all__ = [
    'AINetEncoderDecoder', 'CDSDecoder', 'CDSEmbedder', 'CDSEncoderDecoder',
    'SCNEncoder', 'SCNEncoderDecoder', 'UnsupervisedSuperpixelNet'
]
