# The main job of mmsuperpix: DDFP semi-supervised segmentation on PASCAL
# VOC 2012 (see configs/ddfp/ for the recipe and the baselines).
#   python tools/train.py configs/ddfp_voc.py --cfg-options labeled_split=366
_base_ = ['./ddfp/ddfp_deeplabv3plus_r101-d16_4xb8-80e_voc12aug-513x513.py']
