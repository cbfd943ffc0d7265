"""drawn: digits drawn with a thick round pen on a 280x280 canvas, as on a web page with a mouse or a finger.

Every digit has two to four stroke shapes (TEMPLATES: the ways people commonly write it, e.g. a 1 with or
without a flag and a base, a 4 open or closed at the top, a 7 with or without a crossbar), each a list of
strokes through control points in a unit box (x to the right, y down), joined by smooth curves except at corners.
Each image jitters the control points, then slants, turns, stretches, sizes and places the digit at random within
ranges a person drawing in a box shows, and draws it with a round pen of random width, black on white,
antialiased (drawn at 4x and averaged down) as a browser's canvas does. White paper and a black pen is the look
of most drawing pads on web pages (and the polarity that `predict` has to invert); the pen is 12-28 px wide, the
width MNIST's strokes have when MNIST's 28x28 is blown up to 280x280.
"""

import math

import numpy as np
from PIL import Image, ImageDraw

NAME = "drawn"

CANVAS = 280
SUPERSAMPLE = 4
PER_DIGIT = 200  # images of each digit in the full set
PEN = (12.0, 28.0)  # pen width in canvas pixels
HEIGHT = (0.45, 0.85)  # the digit's height (control box) as a fraction of the canvas
ASPECT = (0.55, 0.85)  # the control box's width / height
SLANT = (-0.10, 0.35)  # horizontal shear: x moves by SLANT * (distance above the middle)
ROTATION = 8.0  # degrees, either way
POINT_JITTER = 0.02  # standard deviation of each control point's displacement, in units of the box's height
MARGIN = 6  # canvas pixels kept free between the pen's edge and the canvas's edge

C = "corner"


def arc(cx, cy, rx, ry, start, stop, n=None):
    """Control points on an ellipse from angle start to stop in degrees (0 = right, 90 = down: clockwise)."""
    n = n or max(4, int(abs(stop - start) / 45) + 1)
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, stop, n)]


def corner(x, y):
    """A control point where the stroke turns sharply (the curve is not smoothed through it)."""
    return (x, y, C)


TEMPLATES = {
    0: (
        [arc(0.5, 0.5, 0.5, 0.5, -90, -450)],  # closed oval, anticlockwise from the top
        [arc(0.5, 0.5, 0.5, 0.5, -70, 300)],  # clockwise from the top right, overlapping a little
        [arc(0.5, 0.5, 0.5, 0.5, -100, -440)],  # anticlockwise, leaving a small gap at the top
    ),
    1: (
        [[(0.5, 0.0), (0.5, 1.0)]],  # a bar
        [[(0.28, 0.2), corner(0.55, 0.0), (0.55, 1.0)]],  # with a flag
        [[(0.28, 0.2), corner(0.55, 0.0), (0.55, 1.0)], [(0.2, 1.0), (0.9, 1.0)]],  # flag and base
    ),
    2: (
        [[(0.05, 0.28), (0.3, 0.02), (0.65, 0.0), (0.92, 0.22), (0.8, 0.5), (0.4, 0.8), corner(0.02, 1.0),
          (0.98, 1.0)]],  # round top, diagonal, flat base
        [[(0.05, 0.25), (0.35, 0.0), (0.75, 0.03), (0.9, 0.3), (0.65, 0.6), (0.25, 0.85), (0.08, 0.95),
          (0.2, 0.8), (0.4, 0.88), (0.65, 1.0), (1.0, 0.95)]],  # with a loop at the bottom left
        [[(0.05, 0.2), (0.4, 0.0), (0.8, 0.05), (0.88, 0.3), corner(0.88, 0.32), corner(0.02, 1.0),
          (0.98, 1.0)]],  # straight diagonal (Z-like)
    ),
    3: (
        [[(0.08, 0.15), (0.5, 0.0), (0.88, 0.17), (0.8, 0.38), corner(0.4, 0.48), (0.88, 0.62), (0.92, 0.85),
          (0.5, 1.0), (0.05, 0.88)]],  # two bumps meeting in a point
        [[corner(0.1, 0.0), corner(0.9, 0.0), corner(0.42, 0.4), (0.85, 0.55), (0.93, 0.8), (0.55, 1.0),
          (0.08, 0.9)]],  # flat top
        [[(0.12, 0.12), (0.5, 0.0), (0.82, 0.16), (0.72, 0.38), (0.45, 0.47), (0.7, 0.52), (0.92, 0.75),
          (0.7, 0.97), (0.3, 1.0), (0.05, 0.85)]],  # round middle
    ),
    4: (
        [[(0.65, 0.0), corner(0.05, 0.65), corner(1.0, 0.65)], [(0.75, 0.25), (0.75, 1.0)]],  # closed top
        [[(0.12, 0.0), corner(0.05, 0.6), corner(0.98, 0.6)], [(0.72, 0.0), (0.72, 1.0)]],  # open top
        [[(0.35, 0.0), corner(0.03, 0.62), corner(1.0, 0.6)], [(0.78, 0.15), (0.74, 1.0)]],  # slanted open top
    ),
    5: (
        [[corner(0.2, 0.0), corner(0.15, 0.45), (0.5, 0.38), (0.88, 0.55), (0.88, 0.82), (0.5, 1.0),
          (0.08, 0.9)], [(0.2, 0.0), (0.92, 0.0)]],  # stem and bowl, then the top bar
        [[(0.92, 0.0), corner(0.2, 0.0), corner(0.15, 0.45), (0.5, 0.38), (0.88, 0.55), (0.88, 0.82),
          (0.5, 1.0), (0.08, 0.9)]],  # in one stroke from the top right
        [[corner(0.25, 0.02), corner(0.12, 0.5), (0.45, 0.4), (0.85, 0.5), (0.95, 0.75), (0.7, 0.97),
          (0.3, 1.0), (0.05, 0.88)], [(0.25, 0.02), (0.9, 0.0)]],  # leaning stem, round bowl
    ),
    6: (
        [[(0.78, 0.0), (0.38, 0.22), (0.1, 0.62), (0.25, 0.95), (0.65, 0.98), (0.88, 0.72), (0.62, 0.5),
          (0.28, 0.55), (0.12, 0.72)]],  # curved stem into the bowl
        [[(0.7, 0.0), (0.35, 0.38), (0.12, 0.78), (0.4, 1.0), (0.82, 0.88), (0.75, 0.58), (0.38, 0.58),
          (0.15, 0.78)]],  # straighter stem
    ),
    7: (
        [[corner(0.02, 0.0), corner(0.98, 0.0), (0.35, 1.0)]],  # bar and diagonal
        [[corner(0.02, 0.0), corner(0.98, 0.0), (0.35, 1.0)], [(0.28, 0.52), (0.85, 0.5)]],  # with a crossbar
        [[corner(0.02, 0.0), corner(0.98, 0.0), (0.62, 0.45), (0.45, 1.0)]],  # curved stem
    ),
    8: (
        [[(0.82, 0.15), (0.5, 0.0), (0.18, 0.15), (0.28, 0.38), (0.72, 0.6), (0.88, 0.85), (0.5, 1.0),
          (0.12, 0.85), (0.28, 0.6), (0.72, 0.38), (0.82, 0.15)]],  # one stroke, crossing in the middle
        [arc(0.5, 0.23, 0.36, 0.23, -90, 270), arc(0.5, 0.73, 0.5, 0.27, -90, 270)],  # two loops
        [[(0.7, 0.05), (0.4, 0.0), (0.18, 0.2), (0.45, 0.45), (0.85, 0.7), (0.65, 1.0), (0.2, 0.95),
          (0.2, 0.7), (0.6, 0.42), (0.85, 0.18), (0.7, 0.05)]],  # one stroke, leaning
    ),
    9: (
        [arc(0.5, 0.27, 0.45, 0.27, 0, -360) + [corner(0.95, 0.27), (0.9, 1.0)]],  # loop, straight stem
        [arc(0.5, 0.27, 0.45, 0.27, 0, -360) + [corner(0.95, 0.27), (0.88, 0.72), (0.62, 1.0),
                                                  (0.3, 0.95)]],  # loop, stem hooked at the bottom
        [arc(0.5, 0.28, 0.45, 0.28, -20, -375) + [corner(0.92, 0.3), (0.75, 0.65), (0.55, 1.0)]],  # slanted stem
    ),
}


def _catmull_rom(points, per_segment=12):
    """A smooth curve through the points (uniform Catmull-Rom, end points repeated)."""
    p = np.asarray(points, dtype=np.float64)
    if len(p) == 2:
        return np.linspace(p[0], p[1], per_segment + 1)
    padded = np.vstack([p[0], p, p[-1]])
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[:, None]
    out = []
    for i in range(len(p) - 1):
        p0, p1, p2, p3 = padded[i:i + 4]
        out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(p[-1:])
    return np.vstack(out)


def _trace(stroke, points):
    """The stroke's path: smooth runs between corners, joined at the corners. points: the jittered (x, y)."""
    runs, run = [], [points[0]]
    for spec, xy in zip(stroke[1:], points[1:]):
        run.append(xy)
        if len(spec) == 3:
            runs.append(run)
            run = [xy]
    if len(run) > 1:
        runs.append(run)
    return np.vstack([_catmull_rom(r) for r in runs])


def render(digit, template, rng):
    """One drawing of a digit with the given template; a 280x280 grayscale PIL image, black on white."""
    strokes = TEMPLATES[digit][template]
    pen = rng.uniform(*PEN)
    height = rng.uniform(*HEIGHT) * CANVAS
    width = rng.uniform(*ASPECT) * height
    slant = rng.uniform(*SLANT)
    angle = math.radians(rng.uniform(-ROTATION, ROTATION))
    paths = []
    for stroke in strokes:
        xy = np.array([s[:2] for s in stroke], dtype=np.float64)
        xy += rng.normal(0.0, POINT_JITTER, xy.shape) * np.array([height / width, 1.0])
        path = _trace(stroke, xy)
        x = (path[:, 0] - 0.5) * width + slant * (0.5 - path[:, 1]) * height
        y = (path[:, 1] - 0.5) * height
        paths.append(np.stack([x * math.cos(angle) - y * math.sin(angle),
                               x * math.sin(angle) + y * math.cos(angle)], axis=1))
    every = np.vstack(paths)
    lo = every.min(axis=0) - pen / 2 - MARGIN
    hi = every.max(axis=0) + pen / 2 + MARGIN
    scale = min(1.0, CANVAS / float((hi - lo).max()))  # a digit drawn too large for the canvas is shrunk to fit
    lo, hi, pen = lo * scale, hi * scale, pen * scale
    offset = np.array([rng.uniform(-lo[i], max(-lo[i], CANVAS - hi[i])) for i in range(2)])
    big = Image.new("L", (CANVAS * SUPERSAMPLE, CANVAS * SUPERSAMPLE), 255)
    draw = ImageDraw.Draw(big)
    r = pen * SUPERSAMPLE / 2
    for path in paths:
        pts = (path * scale + offset) * SUPERSAMPLE
        draw.line([tuple(p) for p in pts], fill=0, width=int(round(2 * r)), joint="curve")
        for px, py in (pts[0], pts[-1]):
            draw.ellipse([px - r, py - r, px + r, py + r], fill=0)
    return big.reduce(SUPERSAMPLE)


def items(seed, per_digit):
    """(digit, name, make_image): PER_DIGIT images of each digit, or the first per_digit of them (the same
    files, byte for byte: each image has its own random stream keyed by digit and index). The templates take
    turns, so each is drawn equally often."""
    count = PER_DIGIT if per_digit is None else per_digit
    for digit in range(10):
        n = len(TEMPLATES[digit])
        for i in range(count):
            template = i % n
            yield digit, "drawn-t%d-%04d" % (template, i), (
                lambda digit=digit, template=template, i=i:
                render(digit, template, np.random.default_rng([seed, 3, digit, i])))
