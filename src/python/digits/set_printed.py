"""printed: digits set in 16 font families x 4 styles, at 3 sizes, turned a few degrees, dark on light.

Each image is one digit as a user would crop it from a scan or a screenshot: a margin of paper around the
glyph (uneven, 20-60% of the glyph's height on each side), off-white paper, near-black ink, turned by up to
MAX_ROTATION degrees either way. The fonts are read from the Debian packages named below, by path, so that the
set does not depend on what else fontconfig finds: a missing one is an error naming its package.
"""

import os

import numpy as np
from PIL import Image, ImageDraw, ImageFont

NAME = "printed"

SIZES = (24, 48, 96)  # font size in pixels (a digit is about 0.7 of it high)
VARIANTS = 2  # images per (face, size, digit) in the full set, each with its own rotation, margins and tones
MAX_ROTATION = 5.0  # degrees
MARGIN = (0.2, 0.6)  # paper on each side, as a fraction of the glyph's height
PAPER = (235, 255)
INK = (0, 50)

_DEJAVU = "/usr/share/fonts/truetype/dejavu/"
_LIBERATION = "/usr/share/fonts/truetype/liberation/"
_FREE = "/usr/share/fonts/truetype/freefont/"
_URW = "/usr/share/fonts/opentype/urw-base35/"

# (family, kind, Debian package, (regular, bold, italic, bold italic) paths). Order matters: it fixes the names.
FAMILIES = (
    ("DejaVu Sans", "sans", "fonts-dejavu-core fonts-dejavu-extra",
     (_DEJAVU + "DejaVuSans.ttf", _DEJAVU + "DejaVuSans-Bold.ttf",
      _DEJAVU + "DejaVuSans-Oblique.ttf", _DEJAVU + "DejaVuSans-BoldOblique.ttf")),
    ("DejaVu Serif", "serif", "fonts-dejavu-core fonts-dejavu-extra",
     (_DEJAVU + "DejaVuSerif.ttf", _DEJAVU + "DejaVuSerif-Bold.ttf",
      _DEJAVU + "DejaVuSerif-Italic.ttf", _DEJAVU + "DejaVuSerif-BoldItalic.ttf")),
    ("DejaVu Sans Mono", "mono", "fonts-dejavu-core fonts-dejavu-extra",
     (_DEJAVU + "DejaVuSansMono.ttf", _DEJAVU + "DejaVuSansMono-Bold.ttf",
      _DEJAVU + "DejaVuSansMono-Oblique.ttf", _DEJAVU + "DejaVuSansMono-BoldOblique.ttf")),
    ("Liberation Sans", "sans", "fonts-liberation",
     (_LIBERATION + "LiberationSans-Regular.ttf", _LIBERATION + "LiberationSans-Bold.ttf",
      _LIBERATION + "LiberationSans-Italic.ttf", _LIBERATION + "LiberationSans-BoldItalic.ttf")),
    ("Liberation Serif", "serif", "fonts-liberation",
     (_LIBERATION + "LiberationSerif-Regular.ttf", _LIBERATION + "LiberationSerif-Bold.ttf",
      _LIBERATION + "LiberationSerif-Italic.ttf", _LIBERATION + "LiberationSerif-BoldItalic.ttf")),
    ("Liberation Mono", "mono", "fonts-liberation",
     (_LIBERATION + "LiberationMono-Regular.ttf", _LIBERATION + "LiberationMono-Bold.ttf",
      _LIBERATION + "LiberationMono-Italic.ttf", _LIBERATION + "LiberationMono-BoldItalic.ttf")),
    ("FreeSans", "sans", "fonts-freefont-ttf",
     (_FREE + "FreeSans.ttf", _FREE + "FreeSansBold.ttf",
      _FREE + "FreeSansOblique.ttf", _FREE + "FreeSansBoldOblique.ttf")),
    ("FreeSerif", "serif", "fonts-freefont-ttf",
     (_FREE + "FreeSerif.ttf", _FREE + "FreeSerifBold.ttf",
      _FREE + "FreeSerifItalic.ttf", _FREE + "FreeSerifBoldItalic.ttf")),
    ("FreeMono", "mono", "fonts-freefont-ttf",
     (_FREE + "FreeMono.ttf", _FREE + "FreeMonoBold.ttf",
      _FREE + "FreeMonoOblique.ttf", _FREE + "FreeMonoBoldOblique.ttf")),
    ("Nimbus Sans", "sans", "fonts-urw-base35",
     (_URW + "NimbusSans-Regular.otf", _URW + "NimbusSans-Bold.otf",
      _URW + "NimbusSans-Italic.otf", _URW + "NimbusSans-BoldItalic.otf")),
    ("Nimbus Roman", "serif", "fonts-urw-base35",
     (_URW + "NimbusRoman-Regular.otf", _URW + "NimbusRoman-Bold.otf",
      _URW + "NimbusRoman-Italic.otf", _URW + "NimbusRoman-BoldItalic.otf")),
    ("Nimbus Mono PS", "mono", "fonts-urw-base35",
     (_URW + "NimbusMonoPS-Regular.otf", _URW + "NimbusMonoPS-Bold.otf",
      _URW + "NimbusMonoPS-Italic.otf", _URW + "NimbusMonoPS-BoldItalic.otf")),
    ("C059", "serif", "fonts-urw-base35",  # Century Schoolbook
     (_URW + "C059-Roman.otf", _URW + "C059-Bold.otf", _URW + "C059-Italic.otf", _URW + "C059-BdIta.otf")),
    ("P052", "serif", "fonts-urw-base35",  # Palatino
     (_URW + "P052-Roman.otf", _URW + "P052-Bold.otf", _URW + "P052-Italic.otf", _URW + "P052-BoldItalic.otf")),
    ("URW Bookman", "serif", "fonts-urw-base35",
     (_URW + "URWBookman-Light.otf", _URW + "URWBookman-Demi.otf",
      _URW + "URWBookman-LightItalic.otf", _URW + "URWBookman-DemiItalic.otf")),
    ("URW Gothic", "sans", "fonts-urw-base35",  # Avant Garde
     (_URW + "URWGothic-Book.otf", _URW + "URWGothic-Demi.otf",
      _URW + "URWGothic-BookOblique.otf", _URW + "URWGothic-DemiOblique.otf")),
)
STYLES = ("regular", "bold", "italic", "bolditalic")


def faces():
    """[(slug, path)] for the 64 faces, in a fixed order. Raises FileNotFoundError naming missing packages."""
    missing = sorted({pkg for _, _, pkg, paths in FAMILIES for p in paths if not os.path.isfile(p)})
    if missing:
        raise FileNotFoundError("fonts missing for the printed set: apt-get install -y " + " ".join(missing))
    return [(family.lower().replace(" ", "") + "-" + style, path)
            for family, _, _, paths in FAMILIES for style, path in zip(STYLES, paths)]


def render(path, size, digit, rng):
    """One digit in one face and size, turned, on paper with margins; a grayscale PIL image."""
    font = ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)
    side = 3 * size
    mask = Image.new("L", (side, side), 0)
    ImageDraw.Draw(mask).text((side / 2, side / 2), str(digit), fill=255, font=font, anchor="mm")
    angle = rng.uniform(-MAX_ROTATION, MAX_ROTATION)
    mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=0)
    alpha = np.asarray(mask, dtype=np.float64) / 255.0
    ys, xs = np.nonzero(alpha > 0)
    glyph = alpha[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    height = glyph.shape[0]
    left, right, top, bottom = (int(round(rng.uniform(*MARGIN) * height)) for _ in range(4))
    ink_alpha = np.zeros((height + top + bottom, glyph.shape[1] + left + right))
    ink_alpha[top:top + height, left:left + glyph.shape[1]] = glyph
    paper = rng.integers(PAPER[0], PAPER[1], endpoint=True)
    ink = rng.integers(INK[0], INK[1], endpoint=True)
    page = paper + (ink - paper) * ink_alpha
    return Image.fromarray(np.rint(page).astype(np.uint8))


def items(seed, per_digit):
    """(digit, name, make_image) for the full set (per_digit None: every face, size and variant) or per_digit
    images of each digit chosen at random among those. Every image has its own random stream, keyed by face,
    size, digit and variant, so a small set's files are byte for byte the same-named files of the full set."""
    all_faces = faces()
    combos = [(f, s, v) for f in range(len(all_faces)) for s in range(len(SIZES)) for v in range(VARIANTS)]
    rng = np.random.default_rng([seed, 2])
    for digit in range(10):
        chosen = range(len(combos))
        if per_digit is not None:
            if per_digit > len(combos):
                raise ValueError("--small %d: only %d images of each digit in %s" % (per_digit, len(combos), NAME))
            chosen = np.sort(rng.choice(len(combos), size=per_digit, replace=False))
        for c in chosen:
            f, s, v = combos[c]
            slug, path = all_faces[f]
            name = "%s-%d-%d" % (slug, SIZES[s], v)
            yield digit, name, (lambda path=path, s=s, f=f, v=v, digit=digit:
                                render(path, SIZES[s], digit, np.random.default_rng([seed, 2, f, s, digit, v])))
