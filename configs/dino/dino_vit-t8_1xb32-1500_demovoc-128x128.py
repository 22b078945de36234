# The DINO demo recipe at half its budget: 1,500 iterations of batch 32
# (120 epochs of the 400 demo train images, no labels), the run that fits one
# sitting on 2 CPU cores (~2.7 s per bfloat16 iteration, ~70 min). The
# schedule is written in shares of `max_iters` (warm-up, cosine, weight
# decay, teacher temperature and momentum, checkpoints), so all of it scales.
# Export the teacher's backbone for NeuralEF:
#   python tools/model_converters/export_checkpoint.py \
#       work_dirs/dino_vit-t8_1500/iter_1500.pth \
#       work_dirs/dino_vit-t8_demovoc.pth --submodule teacher.backbone
_base_ = ['./dino_vit-t8_1xb32-3k_demovoc-128x128.py']
max_iters = 1500
