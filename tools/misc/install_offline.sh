#!/usr/bin/env bash
# Install mmsuperpix into an existing Python that already has torch (e.g. a
# GPU machine's image with PyTorch/CUDA and no network), from a local
# wheelhouse holding the OpenMMLab wheels, their small dependencies and the
# mmcv 2.1.0 sdist, which is built here with its compiled CPU ops (mmseg
# needs mmcv.ops; FORCE_CUDA=0 keeps the build short: mmsuperpix uses no
# mmcv CUDA op). Nothing is downloaded. Re-running skips what is installed.
#
# Usage: bash tools/misc/install_offline.sh WHEELHOUSE [PYTHON]
#   e.g. mkdir -p device && cp -r ../shared/wheels/device-py312 device/wheels
#        (device/ is git-ignored), carry "device" to the machine, then
#        bash tools/misc/install_offline.sh device/wheels python3
set -euo pipefail
WHEELS=${1:?usage: install_offline.sh WHEELHOUSE [PYTHON]}
PY=${2:-python3}
if [ ! -f "$WHEELS"/mmcv-2.1.0.tar.gz ] && ! "$PY" -c 'import mmcv.ops' 2>/dev/null; then
    echo "no $WHEELS/mmcv-2.1.0.tar.gz and no mmcv with ops installed: put the mmcv 2.1.0 sdist in the wheelhouse" >&2
    exit 2
fi
"$PY" -c 'import torch' || { echo "$PY has no torch: install torch first" >&2; exit 2; }
if ! "$PY" -c 'import mmseg, mmcv.ops' 2>/dev/null; then
    "$PY" -m pip install --no-index --no-deps "$WHEELS"/*.whl
    MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS=$(nproc) "$PY" -m pip install \
        --no-index --no-deps --no-build-isolation "$WHEELS"/mmcv-2.1.0.tar.gz
fi
"$PY" -m pip install --no-index --no-deps --no-build-isolation -e .
"$PY" -c "import mmcv.ops, mmseg, mmsuperpix, torch; print('installed mmsuperpix', mmsuperpix.__version__, 'torch', torch.__version__, 'cuda', torch.cuda.is_available())"
