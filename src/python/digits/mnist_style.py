"""The MNIST-style preprocessing of `mnist-tf-java predict`, in numpy, for scoring Python models on image folders.

A line-by-line port of src/main/java/io/mnisttf/predict/{GrayImage,MnistNormalizer,Resampler}.java:
luminance (transparency composited on white, Rec. 601 luma for colour), inverted when the border's median is
light, ink scaled so the strongest is 1 with values under 0.1 dropped, the bounding box of ink above 0.3 scaled
(aspect kept) so its longer side is 20 pixels (area averaging when shrinking, bilinear when growing), placed in
28x28 with its centre of mass on pixel (14, 14). Java computes in float32, this in float64: pixels agree to about
1e-6 (check_port.py compares them through predict's output).
"""

import math

import numpy as np
from PIL import Image

SIZE = 28
BOX = 20
CENTRE = 14.0
NOISE_FLOOR = 0.1
BOX_THRESHOLD = 0.3
MIN_CONTRAST = 32.0


class NoDigit(ValueError):
    """The image shows no digit: nothing stands out from the background."""


def java_round(x):
    """Java's Math.round: half up (Python's round() rounds half to even)."""
    return int(math.floor(x + 0.5))


def luminance(image):
    """An image as float64 luminance in [0, 255], shape (height, width), as GrayImage.of does."""
    mode = image.mode
    if mode in ("L", "LA", "I;16", "I;16B", "I;16L", "I", "1"):
        if mode == "LA":
            gray, alpha = (np.asarray(band, dtype=np.float64) for band in image.split())
            a = alpha / 255.0
            return gray * a + 255.0 * (1 - a)
        if mode == "1":
            return np.asarray(image.convert("L"), dtype=np.float64)
        values = np.asarray(image, dtype=np.float64)
        return values * (255.0 / 65535.0) if mode != "L" else values
    rgba = np.asarray(image.convert("RGBA"), dtype=np.float64)
    luma = 0.299 * rgba[..., 0] + 0.587 * rgba[..., 1] + 0.114 * rgba[..., 2]
    a = rgba[..., 3] / 255.0
    return luma * a + 255.0 * (1 - a)


def border_median(values):
    """Median of a border frame about 2% of the shorter side wide (at least one pixel)."""
    h, w = values.shape
    frame = max(1, java_round(min(w, h) * 0.02))
    mask = np.ones((h, w), dtype=bool)
    mask[frame:h - frame, frame:w - frame] = False
    return float(np.median(values[mask]))


def _taps(n_in, n_out):
    """Resampler.taps as a (n_out, n_in) matrix: row o holds the weights of the source pixels of output o."""
    m = np.zeros((n_out, n_in))
    scale = n_in / n_out
    for o in range(n_out):
        if n_out < n_in:
            lo, hi = o * scale, (o + 1) * scale
            first = int(math.floor(lo))
            last = min(n_in - 1, int(math.ceil(hi)) - 1)
            for j in range(first, last + 1):
                m[o, j] = max(0.0, min(hi, j + 1) - max(lo, j)) / scale
        else:
            u = max(0.0, min(n_in - 1, (o + 0.5) * scale - 0.5))
            j = min(n_in - 1, int(math.floor(u)))
            f = u - j
            if j + 1 < n_in:
                m[o, j] += 1 - f
                m[o, j + 1] += f
            else:
                m[o, j] = 1.0
    return m


def resize(src, new_width, new_height):
    """Resampler.resize: across the rows first, then down the columns."""
    h, w = src.shape
    rows = src @ _taps(w, new_width).T
    return _taps(h, new_height) @ rows


def normalize(values):
    """MnistNormalizer.normalize: (28x28 float64 in [0, 1], inverted). Raises NoDigit for a blank image."""
    background = border_median(values)
    inverted = background > 127.5
    v = 255.0 - values if inverted else values
    bg = 255.0 - background if inverted else background
    ink = np.maximum(0.0, v - bg)
    peak = float(ink.max())
    if peak < MIN_CONTRAST:
        raise NoDigit("no digit found: the image is blank (%.0f grey levels between background and darkest/"
                      "lightest pixel, at least %.0f expected)" % (peak, MIN_CONTRAST))
    ink = ink / peak
    ink[ink < NOISE_FLOOR] = 0.0
    ys, xs = np.nonzero(ink > BOX_THRESHOLD)
    y0, y1, x0, x1 = ys.min(), ys.max(), xs.min(), xs.max()
    box = ink[y0:y1 + 1, x0:x1 + 1]
    box_h, box_w = box.shape
    scale = BOX / max(box_w, box_h)
    new_w = max(1, min(BOX, java_round(box_w * scale)))
    new_h = max(1, min(BOX, java_round(box_h * scale)))
    patch = np.clip(resize(box, new_w, new_h), 0.0, 1.0)
    mass = patch.sum()
    cy = (patch.sum(axis=1) * np.arange(new_h)).sum() / mass
    cx = (patch.sum(axis=0) * np.arange(new_w)).sum() / mass
    left = min(max(java_round(CENTRE - cx), 0), SIZE - new_w)
    top = min(max(java_round(CENTRE - cy), 0), SIZE - new_h)
    out = np.zeros((SIZE, SIZE))
    out[top:top + new_h, left:left + new_w] = patch
    return out, inverted


def load(path):
    """Reads an image file and returns its 28x28 MNIST-style pixels in [0, 1] (float64).

    Raises OSError when the file cannot be read as an image, NoDigit when it shows no digit (both name the file).
    """
    with Image.open(path) as image:
        image.load()
        values = luminance(image)
    try:
        return normalize(values)[0]
    except NoDigit as e:
        raise NoDigit("%s: %s" % (path, e)) from None
