"""Version of mmsuperpix."""
__version__ = '0.1.0'
