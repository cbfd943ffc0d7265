"""handwritten-uci: scikit-learn's bundled UCI optdigits test set, upscaled to look like a small scan.

scikit-learn's load_digits() is the test set (optdigits.tes, 1 797 digits) of E. Alpaydin and C. Kaynak's
"Optical Recognition of Handwritten Digits" (UCI ML repository, 1998): digits of 13 writers (none of whom wrote
the training part) on NIST forms, normalised by NIST's programs into 32x32 bitmaps, then each 4x4 block
counted into an 8x8 matrix of values 0..16 (the fraction of ink in the block, times 16). The upscaled image
restores the bitmap's 32x32 resolution and more with a smooth (bicubic) interpolation of those ink fractions,
which is all the data holds; the strokes stay as soft as the 8x8 sampling made them.
"""

import numpy as np
from PIL import Image

NAME = "handwritten-uci"

DIGIT_SIDE = 48  # the 8x8 matrix becomes 48x48 (6x; the source bitmaps were 32x32)
MARGIN = 8  # paper around it: 64x64 images
PAPER = 255
INK = 0


def load():
    """(images uint8 (1797, 8, 8) with values 0..16, labels (1797,)) in scikit-learn's order."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images.astype(np.uint8), digits.target.astype(np.int64)


def render(cells):
    """One 8x8 matrix of ink counts (0..16) as a 64x64 grayscale image, dark ink on white paper."""
    ink = Image.fromarray(cells.astype(np.float32) / 16.0)
    ink = ink.resize((DIGIT_SIDE, DIGIT_SIDE), Image.Resampling.BICUBIC)
    ink = np.clip(np.asarray(ink, dtype=np.float64), 0.0, 1.0)
    side = DIGIT_SIDE + 2 * MARGIN
    page = np.full((side, side), float(PAPER))
    page[MARGIN:MARGIN + DIGIT_SIDE, MARGIN:MARGIN + DIGIT_SIDE] = PAPER + (INK - PAPER) * ink
    return Image.fromarray(np.rint(page).astype(np.uint8))


def items(seed, per_digit):
    """(digit, name, make_image) for every image (per_digit None) or for per_digit images of each digit.

    The selection is a seeded random choice among each digit's images; the names carry scikit-learn's index, so
    a small set's files are byte for byte the same-named files of the full set.
    """
    images, labels = load()
    rng = np.random.default_rng([seed, 1])
    chosen = []
    for digit in range(10):
        indices = np.flatnonzero(labels == digit)
        if per_digit is not None:
            if per_digit > len(indices):
                raise ValueError("--small %d: only %d images of digit %d in %s"
                                 % (per_digit, len(indices), digit, NAME))
            indices = np.sort(rng.choice(indices, size=per_digit, replace=False))
        chosen.extend((digit, int(i)) for i in indices)
    for digit, i in chosen:
        yield digit, "uci-%04d" % i, (lambda i=i: render(images[i]))
