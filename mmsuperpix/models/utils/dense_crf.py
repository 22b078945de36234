"""Fully connected CRF post-processing (Krähenbühl and Koltun, NeurIPS 2011)
of per-pixel class probabilities, through the ``pydensecrf2`` package.

``pydensecrf2`` (PyPI, sdist only: pip builds it in about a minute with a
C++ compiler) wraps the authors' permutohedral-lattice code; it is an
optional dependency, imported here once and named in the error when absent.
"""
import numpy as np

try:
    import pydensecrf.densecrf as densecrf
except ImportError:  # optional dependency: DenseCRF() says how to get it
    densecrf = None


class DenseCRF:
    """Mean-field inference of a dense CRF with a Gaussian (smoothness) and
    a bilateral (appearance) kernel over the pixels of one image.

    The defaults are those of DeepLab's post-processing, which the NeuralEF
    public code uses: 10 iterations, smoothness weight 3 at 1 px, appearance
    weight 4 at 67 px and 3 colour levels.

    Args:
        iters (int): Mean-field iterations. Defaults to 10.
        pos_w (float): Weight of the Gaussian kernel. Defaults to 3.
        pos_xy_std (float): Its spatial standard deviation (px).
            Defaults to 1.
        bi_w (float): Weight of the bilateral kernel. Defaults to 4.
        bi_xy_std (float): Its spatial standard deviation (px).
            Defaults to 67.
        bi_rgb_std (float): Its colour standard deviation (0..255 levels).
            Defaults to 3.
    """

    def __init__(self,
                 iters: int = 10,
                 pos_w: float = 3.,
                 pos_xy_std: float = 1.,
                 bi_w: float = 4.,
                 bi_xy_std: float = 67.,
                 bi_rgb_std: float = 3.) -> None:
        if densecrf is None:
            raise ImportError(
                'DenseCRF post-processing needs the pydensecrf2 package: '
                '`pip install pydensecrf2==1.1` (an sdist: pip compiles it '
                'in about a minute, with a C++ compiler); or drop `crf` '
                'from the model\'s test_cfg')
        if iters < 1:
            raise ValueError(f'DenseCRF: iters must be >= 1, got {iters}')
        self.iters = int(iters)
        self.pos_w, self.pos_xy_std = float(pos_w), float(pos_xy_std)
        self.bi_w, self.bi_xy_std = float(bi_w), float(bi_xy_std)
        self.bi_rgb_std = float(bi_rgb_std)

    def __call__(self, image: np.ndarray, probs: np.ndarray,
                 eps: float = 1e-8) -> np.ndarray:
        """Refine ``probs``.

        Args:
            image (np.ndarray): ``(H, W, 3)`` uint8 RGB.
            probs (np.ndarray): ``(C, H, W)`` per-pixel class probabilities
                (each pixel's sum 1).
            eps (float): Floor of the probabilities before the log of the
                unary term. Defaults to 1e-8.

        Returns:
            np.ndarray: ``(C, H, W)`` float32 marginals after inference.
        """
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError('DenseCRF: image must be (H, W, 3) uint8, got '
                             f'{image.dtype} {image.shape}')
        num_classes, height, width = probs.shape
        if image.shape[:2] != (height, width):
            raise ValueError(f'DenseCRF: image {image.shape[:2]} and '
                             f'probabilities {(height, width)} differ in size')
        unary = -np.log(np.clip(probs, eps, None)).astype(np.float32)
        crf = densecrf.DenseCRF2D(width, height, num_classes)
        crf.setUnaryEnergy(np.ascontiguousarray(
            unary.reshape(num_classes, -1)))
        crf.addPairwiseGaussian(sxy=self.pos_xy_std, compat=self.pos_w)
        crf.addPairwiseBilateral(
            sxy=self.bi_xy_std, srgb=self.bi_rgb_std,
            rgbim=np.ascontiguousarray(image), compat=self.bi_w)
        marginals = crf.inference(self.iters)
        return np.asarray(marginals, np.float32).reshape(
            num_classes, height, width)
