"""Render synthetic segmentation scenes: textured objects on textured clutter.

Each foreground class has its own shape family, texture family and a
preferred (but overlapping, jittered) colour, so a network has to combine
shape, texture and colour: colour alone does not separate the classes and
the background carries distractor shapes drawn with the same textures. Objects
vary in size, overlap and occlude each other; label borders are marked 255 as
in PASCAL VOC. Everything is vectorised over pixels (numpy / OpenCV).
"""
from typing import Callable, Dict, Tuple

import cv2
import numpy as np

#: VOC class id -> (shape, texture, base hue in [0, 1)).
DEMO_CLASSES: Dict[int, Tuple[str, str, float]] = {
    1: ('plane', 'stripes', 0.60),   # aeroplane
    3: ('triangle', 'dots', 0.08),   # bird
    7: ('car', 'checker', 0.98),     # car
    8: ('blob', 'noise', 0.30),      # cat
    15: ('person', 'bands', 0.80),   # person
}
IGNORE_INDEX = 255


def _smooth_noise(rng: np.random.Generator, shape: Tuple[int, int],
                  cell: float) -> np.ndarray:
    """Band-limited noise in [0, 1]: bicubic upsampling of a coarse grid."""
    h, w = shape
    coarse = rng.random((max(2, int(h / cell) + 2), max(2, int(w / cell) + 2)))
    up = cv2.resize(coarse.astype(np.float32), (w, h),
                    interpolation=cv2.INTER_CUBIC)
    up -= up.min()
    return up / max(float(up.max()), 1e-6)


def _rotated_coords(rng: np.random.Generator,
                    shape: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    h, w = shape
    theta = rng.uniform(0, np.pi)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    return (x * np.cos(theta) + y * np.sin(theta),
            -x * np.sin(theta) + y * np.cos(theta))


def _stripes(rng, shape):
    u, _ = _rotated_coords(rng, shape)
    return 0.5 + 0.5 * np.sin(2 * np.pi * u / rng.uniform(4, 7))


def _bands(rng, shape):
    y = np.mgrid[0:shape[0], 0:shape[1]][0].astype(np.float32)
    return (np.sin(2 * np.pi * y / rng.uniform(8, 14)) > 0).astype(np.float32)


def _checker(rng, shape):
    u, v = _rotated_coords(rng, shape)
    period = rng.uniform(6, 10)
    return ((np.floor(u / period) + np.floor(v / period)) % 2).astype(
        np.float32)


def _dots(rng, shape):
    u, v = _rotated_coords(rng, shape)
    period = rng.uniform(5, 8)
    du, dv = (u % period) - period / 2, (v % period) - period / 2
    return (du**2 + dv**2 < (0.3 * period)**2).astype(np.float32)


def _noise(rng, shape):
    return _smooth_noise(rng, shape, rng.uniform(3, 6))


TEXTURES: Dict[str, Callable] = dict(
    stripes=_stripes, bands=_bands, checker=_checker, dots=_dots,
    noise=_noise)


def _hsv_to_bgr(h: float, s: float, v: float) -> np.ndarray:
    hsv = np.array([[[h % 1.0 * 180, s * 255, v * 255]]], np.float32)
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2BGR)[0, 0].astype(
        np.float32)


def _shape_mask(rng: np.random.Generator, kind: str, shape: Tuple[int, int],
                centre: Tuple[int, int], size: float) -> np.ndarray:
    """Binary (H, W) mask of one object of the given shape family."""
    mask = np.zeros(shape, np.uint8)
    cx, cy = centre
    angle = rng.uniform(0, 180)
    if kind == 'plane':  # fuselage plus crossing wings
        cv2.ellipse(mask, (cx, cy), (int(size / 2), int(size / 7)), angle, 0,
                    360, 1, -1)
        cv2.ellipse(mask, (cx, cy), (int(size / 3), int(size / 12)),
                    angle + 90, 0, 360, 1, -1)
    elif kind == 'triangle':
        t = np.deg2rad(angle) + np.array([0, 2.3, 3.98])
        r = size / 2 * np.array([1.0, 0.6, 0.6])
        pts = np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], 1)
        cv2.fillPoly(mask, [pts.astype(np.int32)], 1)
    elif kind == 'car':  # body with two wheels, kept upright
        w, h = int(size / 2), int(size / 4.5)
        cv2.rectangle(mask, (cx - w, cy - h), (cx + w, cy + h), 1, -1)
        for dx in (-w * 0.55, w * 0.55):
            cv2.circle(mask, (int(cx + dx), cy + h), int(h * 0.7), 1, -1)
    elif kind == 'blob':  # star-convex blob with a wobbly outline
        t = np.linspace(0, 2 * np.pi, 64, endpoint=False)
        k = np.arange(2, 5)[:, None]
        wobble = (rng.uniform(0.05, 0.2, (3, 1)) *
                  np.cos(k * t + rng.uniform(0, 2 * np.pi, (3, 1)))).sum(0)
        r = size / 2.4 * (1 + wobble)
        pts = np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], 1)
        cv2.fillPoly(mask, [pts.astype(np.int32)], 1)
    elif kind == 'person':  # upright capsule body and a round head
        w, h = int(size / 7), int(size / 2.8)
        cv2.rectangle(mask, (cx - w, cy - h), (cx + w, cy + h), 1, -1)
        cv2.circle(mask, (cx, cy - h - int(w * 0.9)), int(w * 1.1), 1, -1)
    else:
        raise ValueError(f'unknown shape family {kind!r}')
    return mask.astype(bool)


def _paint(rng: np.random.Generator, texture: str, shape: Tuple[int, int],
           hue: float, contrast: float) -> np.ndarray:
    """(H, W, 3) float BGR layer: a two-colour texture of the given hue."""
    pattern = TEXTURES[texture](rng, shape)[..., None]
    light = _hsv_to_bgr(hue, rng.uniform(0.35, 0.9), rng.uniform(0.6, 0.95))
    dark = light * (1 - contrast)
    return dark + (light - dark) * pattern


def _mark_borders(label: np.ndarray) -> np.ndarray:
    """Set pixels whose 3x3 neighbourhood holds two labels to 255."""
    kernel = np.ones((3, 3), np.uint8)
    edge = cv2.dilate(label, kernel) != cv2.erode(label, kernel)
    out = label.copy()
    out[edge] = IGNORE_INDEX
    return out


def render_scene(rng: np.random.Generator,
                 height: int,
                 width: int,
                 max_objects: int = 4,
                 n_clutter: int = 3) -> Tuple[np.ndarray, np.ndarray]:
    """Render one image and its VOC-style label map.

    Args:
        rng (np.random.Generator): Source of randomness (seed it to
            reproduce a scene exactly).
        height (int): Image height in pixels.
        width (int): Image width in pixels.
        max_objects (int): Up to this many objects (at least one).
        n_clutter (int): Up to this many background distractor shapes.

    Returns:
        tuple: ``image`` (H, W, 3) uint8 BGR and ``label`` (H, W) uint8 with
        class ids from :data:`DEMO_CLASSES`, 0 for background and 255 on
        object borders.
    """
    shape = (height, width)
    bg_hue = rng.random()
    image = _paint(rng, 'noise', shape, bg_hue, rng.uniform(0.2, 0.5))
    label = np.zeros(shape, np.uint8)
    families = list(DEMO_CLASSES.values())
    for _ in range(rng.integers(0, n_clutter + 1)):  # background clutter
        kind, texture, _h = families[rng.integers(len(families))]
        other_texture = list(TEXTURES)[rng.integers(len(TEXTURES))]
        if other_texture == texture:
            continue
        m = _shape_mask(rng, kind, shape, (rng.integers(width),
                                           rng.integers(height)),
                        rng.uniform(0.15, 0.4) * min(shape))
        layer = _paint(rng, other_texture, shape,
                       bg_hue + rng.uniform(-0.1, 0.1), rng.uniform(0.1, 0.3))
        image[m] = layer[m]
    class_ids = list(DEMO_CLASSES)
    for _ in range(rng.integers(1, max_objects + 1)):
        cls = class_ids[rng.integers(len(class_ids))]
        kind, texture, hue = DEMO_CLASSES[cls]
        size = rng.uniform(0.3, 0.75) * min(shape)
        m = _shape_mask(rng, kind, shape,
                        (int(rng.uniform(0.15, 0.85) * width),
                         int(rng.uniform(0.15, 0.85) * height)), size)
        layer = _paint(rng, texture, shape, hue + rng.uniform(-0.12, 0.12),
                       rng.uniform(0.3, 0.6))
        image[m] = layer[m]
        label[m] = cls
    illumination = 0.75 + 0.5 * _smooth_noise(rng, shape, min(shape) / 2)
    image = image * illumination[..., None]
    image = cv2.GaussianBlur(image, (3, 3), 0.6)
    image += rng.normal(0, 4, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8), _mark_borders(label)
