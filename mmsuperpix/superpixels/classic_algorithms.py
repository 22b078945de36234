"""The classic (non-learned) superpixel algorithms, each driven by a target
count; :class:`~mmsuperpix.superpixels.ClassicSuperpixels` runs them.

Every method has the signature ``fn(image_bgr, n_segments) -> labels``:
``image_bgr`` is an ``(H, W, 3)`` uint8 BGR image (as ``cv2.imread`` gives
it), ``n_segments`` the desired number of superpixels, and ``labels`` an
``(H, W)`` int32 map with contiguous ids ``0..K-1``. ``K`` is close to, not
equal to, ``n_segments``: each algorithm has its own grid and merging rules.

Settings (the usual ones: the methods' papers, OpenCV's and scikit-image's
documentation, Stutz et al.'s benchmark). ``S = round(sqrt(H * W / n))``.

- ``opencv_slic``: ``cv2.ximgproc`` SLIC, ``region_size=S, ruler=10``, 10
  iterations, ``enforceLabelConnectivity(25)`` (segments under 25% of the
  nominal size are merged), on float32 CIELAB (L 0..100, a/b about
  -128..127): the units the original SLIC code converts to, so ``ruler=10``
  is the paper's ``m=10`` (8-bit Lab would stretch colour distances ~2.5x;
  on BSDS500 val it lowers BR and CO). No Gaussian pre-blur: OpenCV's docs
  suggest one, neither the original SLIC nor the benchmark uses it.
- ``opencv_slico``: the same with ``algorithm=SLICO`` (adaptive
  compactness; ``ruler`` unused).
- ``opencv_lsc``: ``createSuperpixelLSC(lab8, region_size=S,
  ratio=0.075)``, 10 iterations, ``enforceLabelConnectivity(25)``, on
  8-bit Lab (LSC divides each channel by the image maximum, so it needs
  non-negative values). Run with one OpenCV thread: with more, OpenCV
  4.x's parallel LSC iteration races and the labels change from call to
  call.
- ``opencv_seeds``: ``createSuperpixelSEEDS(W, H, 3, request, levels,
  prior=2, histogram_bins=5, double_step=False)``, ``iterate(lab8, 4)``
  (OpenCV's docs: HSV or Lab input). OpenCV's block grid is coarse: with
  ``num_levels=4`` a 481x321 image gets 260 superpixels for ``n`` in
  600..721 and 600 for 722..2500. So ``request`` (in ``n * geomspace(0.7,
  4, 24)``) and ``levels`` (4, else 3 or 2; each level dropped must gain
  over 5% in ratio) are picked from the grid OpenCV will build
  (:func:`seeds_grid_count`) to bring the count closest to ``n``.
- ``skimage_slic``: ``skimage.segmentation.slic(rgb, n_segments=n,
  compactness=10, start_label=0)`` (it converts to CIELAB and enforces
  connectivity itself).
- ``skimage_felzenszwalb``: ``felzenszwalb(rgb, scale, sigma=0.5,
  min_size=max(20, H * W // (4n)))`` (so at most ~4n segments survive);
  it has no count parameter, so ``log10(scale)`` is bisected in ``[0, 4]``
  (at most 8 runs, stopping within 5% of ``n``) and the run whose count is
  closest to ``n`` in ratio is kept.

The OpenCV methods need ``cv2.ximgproc`` from ``opencv-contrib-python``.
"""
import importlib.metadata
import math
from typing import Callable, Dict

import cv2
import numpy as np
from skimage.segmentation import felzenszwalb, slic

from .conventions import contiguous_labels

SegmentFn = Callable[[np.ndarray, int], np.ndarray]

#: Iterations and connectivity settings shared by the OpenCV methods.
_ITERATIONS = 10
_MIN_ELEMENT_PERCENT = 25
#: Felzenszwalb scale search: log10 range, number of runs, early-stop ratio.
_FH_LOG_RANGE = (0.0, 4.0)
_FH_MAX_RUNS = 8
_FH_TOLERANCE = 0.05


def _region_size(image: np.ndarray, n_segments: int) -> int:
    """Grid step ``round(sqrt(H * W / n))``, at least 1."""
    h, w = image.shape[:2]
    return max(1, int(round(math.sqrt(h * w / n_segments))))


def _lab_float(image: np.ndarray) -> np.ndarray:
    """(H, W, 3) float32 CIELAB (L 0..100) of a uint8 BGR image."""
    return cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_BGR2Lab)


def _opencv_slic_variant(image: np.ndarray, n_segments: int,
                         algorithm: int) -> np.ndarray:
    engine = cv2.ximgproc.createSuperpixelSLIC(
        _lab_float(image), algorithm=algorithm,
        region_size=_region_size(image, n_segments), ruler=10.0)
    engine.iterate(_ITERATIONS)
    engine.enforceLabelConnectivity(_MIN_ELEMENT_PERCENT)
    return engine.getLabels()


def opencv_slic(image: np.ndarray, n_segments: int) -> np.ndarray:
    """OpenCV SLIC (see the module docstring for the settings).

    Args:
        image (np.ndarray): (H, W, 3) uint8 BGR.
        n_segments (int): Target number of superpixels.

    Returns:
        np.ndarray: (H, W) int32 labels ``0..K-1``.
    """
    return contiguous_labels(
        _opencv_slic_variant(image, n_segments, cv2.ximgproc.SLIC))


def opencv_slico(image: np.ndarray, n_segments: int) -> np.ndarray:
    """OpenCV SLICO (zero-parameter SLIC); arguments as :func:`opencv_slic`.
    """
    return contiguous_labels(
        _opencv_slic_variant(image, n_segments, cv2.ximgproc.SLICO))


def opencv_lsc(image: np.ndarray, n_segments: int) -> np.ndarray:
    """OpenCV LSC (linear spectral clustering); as :func:`opencv_slic`,
    single-threaded so that it is deterministic."""
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        engine = cv2.ximgproc.createSuperpixelLSC(
            cv2.cvtColor(image, cv2.COLOR_BGR2Lab),
            region_size=_region_size(image, n_segments), ratio=0.075)
        engine.iterate(_ITERATIONS)
        engine.enforceLabelConnectivity(_MIN_ELEMENT_PERCENT)
        labels = engine.getLabels()
    finally:
        cv2.setNumThreads(threads)
    return contiguous_labels(labels)


def seeds_grid_count(width: int, height: int, request: int,
                     num_levels: int) -> int:
    """Superpixels OpenCV's SEEDS starts from (its top-level block grid).

    Mirrors the grid sizing of ``createSuperpixelSEEDS`` (the value its
    ``getNumberOfSuperpixels()`` reports before iterating).

    Args:
        width (int): Image width W.
        height (int): Image height H.
        request (int): ``num_superpixels`` passed to OpenCV.
        num_levels (int): ``num_levels`` passed to OpenCV.

    Returns:
        int: The grid's superpixel count; 0 when OpenCV could not build a
        grid (an image too small or too elongated for the request).
    """
    request, levels = max(int(request), 10), max(int(num_levels), 2)
    rows = int(math.sqrt(float(np.float32(request) * height / width)))
    cols = rows * width // height
    if rows < 1 or cols < 1:
        return 0
    while levels > 0:
        scale = 1 << (levels - 1)
        block_w, block_h = width / cols / scale, height / rows / scale
        if block_w >= 1 and block_h >= 1:
            shift = levels - 1
            return (((width // math.ceil(block_w)) >> shift) *
                    ((height // math.ceil(block_h)) >> shift))
        levels -= 1
    return 0


def _seeds_settings(width: int, height: int, n_segments: int):
    """``(request, num_levels)`` whose SEEDS grid count is closest to n."""
    best, best_cost = None, math.inf
    requests = np.unique(np.round(
        n_segments * np.geomspace(0.7, 4.0, 24)).astype(int))
    for levels in (4, 3, 2):
        for request in requests:
            count = seeds_grid_count(width, height, request, levels)
            if count < 1:
                continue
            cost = abs(math.log(count / n_segments)) + 0.05 * (4 - levels)
            if cost < best_cost:
                best, best_cost = (int(request), levels), cost
    if best is None:
        raise ValueError(
            f'SEEDS cannot tile a {width}x{height} image into about '
            f'{n_segments} blocks; use a larger image or another method')
    return best


def opencv_seeds(image: np.ndarray, n_segments: int) -> np.ndarray:
    """OpenCV SEEDS; arguments as :func:`opencv_slic`."""
    h, w = image.shape[:2]
    request, levels = _seeds_settings(w, h, int(n_segments))
    engine = cv2.ximgproc.createSuperpixelSEEDS(
        w, h, 3, request, num_levels=levels, prior=2, histogram_bins=5,
        double_step=False)
    engine.iterate(cv2.cvtColor(image, cv2.COLOR_BGR2Lab), 4)
    return contiguous_labels(engine.getLabels())


def skimage_slic(image: np.ndarray, n_segments: int) -> np.ndarray:
    """scikit-image SLIC on the RGB image; arguments as :func:`opencv_slic`.
    """
    rgb = np.ascontiguousarray(image[..., ::-1])
    return contiguous_labels(
        slic(rgb, n_segments=int(n_segments), compactness=10,
             start_label=0, channel_axis=-1))


def skimage_felzenszwalb(image: np.ndarray, n_segments: int) -> np.ndarray:
    """Felzenszwalb-Huttenlocher with ``scale`` searched for the count.

    See the module docstring for the search; arguments as
    :func:`opencv_slic`.
    """
    h, w = image.shape[:2]
    rgb = np.ascontiguousarray(image[..., ::-1])
    min_size = max(20, (h * w) // (4 * int(n_segments)))
    low, high = _FH_LOG_RANGE
    best, best_error = None, math.inf
    for _ in range(_FH_MAX_RUNS):
        mid = 0.5 * (low + high)
        labels = felzenszwalb(rgb, scale=10.0**mid, sigma=0.5,
                              min_size=min_size, channel_axis=-1)
        count = int(labels.max()) + 1
        error = abs(math.log(count / n_segments))
        if error < best_error:
            best, best_error = labels, error
        if abs(count - n_segments) <= _FH_TOLERANCE * n_segments:
            break
        # A larger scale merges more: too many segments -> go up.
        if count > n_segments:
            low = mid
        else:
            high = mid
    return contiguous_labels(best)


#: Method name -> ``fn((H, W, 3) uint8 BGR, n_segments) -> (H, W) int32``.
CLASSIC_METHODS: Dict[str, SegmentFn] = {
    'opencv_slic': opencv_slic,
    'opencv_slico': opencv_slico,
    'opencv_lsc': opencv_lsc,
    'opencv_seeds': opencv_seeds,
    'skimage_slic': skimage_slic,
    'skimage_felzenszwalb': skimage_felzenszwalb,
}


def check_ximgproc() -> None:
    """Raise a clear ImportError unless ``cv2.ximgproc`` exists."""
    if hasattr(cv2, 'ximgproc'):
        return
    try:
        version = importlib.metadata.version('opencv-python')
    except importlib.metadata.PackageNotFoundError:
        version = cv2.__version__
    raise ImportError(
        f'cv2.ximgproc is missing: this cv2 ({cv2.__version__}) comes from '
        'opencv-python, not opencv-contrib-python. Install the contrib '
        'build at the same version: pip install --no-deps '
        f'--force-reinstall opencv-contrib-python=={version}')
