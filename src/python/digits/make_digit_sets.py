"""Writes labelled sets of digits that are not MNIST, in the ImageFolder convention: OUT/<set>/<digit>/<name>.png.

    python src/python/digits/make_digit_sets.py --out target/digits               # full sets
    python src/python/digits/make_digit_sets.py --out data/digits --small 25      # 25 per digit and set

Sets: handwritten-uci (scikit-learn's UCI optdigits test set, 1 797 digits of 13 writers, upscaled to 64x64),
printed (64 font faces x 3 sizes x 2, rotated a few degrees: 3 840), drawn (thick round pen on a 280x280 canvas,
200 per digit: 2 000). See README.md beside this file. Same seed, same files, byte for byte (on the same versions
of numpy, Pillow with its FreeType and zlib, scikit-learn and the Debian font packages); no network.
A set's folder is written beside it under a temporary name and renamed into place when complete, replacing an
earlier one: nothing half-written is left under OUT/<set>.
"""

import argparse
import os
import shutil
import sys
import tempfile

import set_drawn
import set_printed
import set_uci

SETS = {m.NAME: m for m in (set_uci, set_printed, set_drawn)}


def write_set(module, out, seed, per_digit):
    """Writes one set into out/<name> atomically; returns the number of images."""
    final = os.path.join(out, module.NAME)
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="." + module.NAME + "-", dir=out)
    try:
        count = 0
        for digit, name, make in module.items(seed, per_digit):
            folder = os.path.join(tmp, str(digit))
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, name + ".png")
            if os.path.exists(path):
                raise RuntimeError("two images named %s" % path)
            make().save(path, format="PNG", optimize=True)
            count += 1
        if os.path.isdir(final):
            shutil.rmtree(final)
        os.rename(tmp, final)
        return count
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder to write the sets into (one sub-folder per set)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--small", type=int, metavar="N",
                        help="write N images per digit and set (a subset of the full set, same bytes)")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated sets (default: %(default)s)")
    args = parser.parse_args(argv)
    names = [s for s in args.sets.split(",") if s]
    unknown = [s for s in names if s not in SETS]
    if unknown or not names:
        parser.error("--sets: unknown set %s (choose among %s)" % (",".join(unknown) or "''", ", ".join(SETS)))
    if args.small is not None and args.small < 1:
        parser.error("--small must be a positive integer, got %d" % args.small)
    if args.seed < 0:
        parser.error("--seed must be >= 0, got %d" % args.seed)
    for name in names:
        try:
            count = write_set(SETS[name], args.out, args.seed, args.small)
        except (ImportError, ValueError, OSError, RuntimeError) as e:
            print("error: %s: %s" % (name, e), file=sys.stderr)
            return 1
        print("%s: %d images in %s" % (name, count, os.path.join(args.out, name)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
