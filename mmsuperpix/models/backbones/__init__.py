from .ainet_encoder_decoder import AINetEncoderDecoder
from .scn_encoder_decoder import SCNEncoderDecoder

__all__ = ['AINetEncoderDecoder', 'SCNEncoderDecoder']
