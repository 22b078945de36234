# mmsuperpix: `make demo` (install + main job on the embedded data) and
# `make test` (full test suite) on a fresh machine with only python3.
#
#   WHEELHOUSE=<dir>  folder with a prebuilt mmcv 2.1.0 wheel matching this
#                     Python and torch (passed to pip as --find-links; never
#                     set PIP_FIND_LINKS, which hides pip's own wheel folders)
#   TORCH=<spec>      torch requirement installed first (default torch==2.13.0)
#   PYTHON=<python3>  interpreter used to create the virtual environment
PYTHON ?= python3
VENV ?= .venv
TORCH ?= torch==2.13.0
WHEELHOUSE ?=
DEMO_DATA := data/demo_voc  # the demo configs' data_root
DEMO_CONFIG ?= configs/demo/ddfp_deeplabv3plus_r18w16-d8_1xb8-1500_demovoc-128x128.py
DEMO_BASELINE ?= configs/demo/supervised_deeplabv3plus_r18w16-d8_1xb4-1500_demovoc-128x128.py
DEMO_WORK_DIR ?= work_dirs/demo
PYTEST_ARGS ?=

VPY := $(VENV)/bin/python
PIP := $(VPY) -m pip
FIND_LINKS := $(if $(WHEELHOUSE),--find-links $(abspath $(WHEELHOUSE)),)
STAMP := $(VENV)/.installed

.PHONY: install demo demo-data test clean-demo

install: $(STAMP)

$(STAMP): setup.py requirements/runtime.txt requirements/mminstall.txt requirements/tests.txt
	$(PYTHON) -m venv $(VENV)
	# torch first and pinned: later steps then never pull a CUDA build
	$(PIP) install $(FIND_LINKS) "$(TORCH)" "setuptools>=77,<81" wheel ninja psutil
	$(PIP) install $(FIND_LINKS) -r requirements/runtime.txt -r requirements/tests.txt
	# mmcv with compiled ops: a matching wheel from WHEELHOUSE, else built
	# from source against the installed torch (about 17 min on 2 cores)
	MMCV_WITH_OPS=1 $(PIP) install --no-build-isolation $(FIND_LINKS) mmcv==2.1.0
	$(PIP) install $(FIND_LINKS) -r requirements/mminstall.txt
	$(PIP) install --no-build-isolation --no-deps -e .
	# cv2 comes from both opencv-python (mmcv's) and opencv-contrib-python:
	# reinstall contrib last, at opencv-python's version, for cv2.ximgproc
	$(PIP) install --no-deps --force-reinstall "opencv-contrib-python==$$($(VPY) -c 'import importlib.metadata as m; print(m.version("opencv-python"))')"
	$(VPY) -c "import cv2, mmcv.ops, mmseg, mmsuperpix, torch; cv2.ximgproc; print('installed mmsuperpix', mmsuperpix.__version__, 'with mmseg', mmseg.__version__, 'torch', torch.__version__)"
	touch $@

demo-data: $(DEMO_DATA)/meta.json

$(DEMO_DATA)/meta.json: | $(STAMP)
	$(VPY) tools/dataset_converters/make_demo_voc.py $(DEMO_DATA)

# DDFP and, at the same budget and labeled split, the supervised-only
# baseline it has to beat
demo: install demo-data
	$(VPY) tools/train.py $(DEMO_BASELINE) --work-dir $(DEMO_WORK_DIR)_supervised
	$(VPY) tools/train.py $(DEMO_CONFIG) --work-dir $(DEMO_WORK_DIR)
	$(VPY) tools/analysis_tools/summarize_run.py $(DEMO_WORK_DIR) --baseline $(DEMO_WORK_DIR)_supervised

test: install
	$(VPY) -m pytest tests $(PYTEST_ARGS)

clean-demo:
	rm -rf $(DEMO_WORK_DIR) $(DEMO_WORK_DIR)_supervised
