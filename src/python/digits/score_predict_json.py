"""Scores `mnist-tf-java predict --json` on ImageFolder sets: accuracy per set, per digit, and a confusion matrix.

    target/mnist-tf-java predict --model saved-models/mnist --json data/digits/printed/*/*.png \\
        | python src/python/digits/score_predict_json.py

Reads predict's JSON line (the last line of standard input, or of the file given) and takes each image's label
from its folder: .../<set>/<digit>/<name>.png, <digit> 0-9. Images are grouped by <set>. Prints one line per set
(images, accuracy, accuracy per digit) and, with --confusion, its confusion matrix (rows: true digit, columns:
predicted); --json prints the same as one JSON object instead.
"""

import argparse
import json
import os
import sys


def label_of(path):
    """(set, digit) from .../<set>/<digit>/<file>; ValueError when the folder is not a digit."""
    folder = os.path.dirname(os.path.normpath(path))
    digit = os.path.basename(folder)
    if len(digit) != 1 or not digit.isdigit():
        raise ValueError("%s: not in a folder named 0-9 (ImageFolder layout <set>/<digit>/<file> expected)" % path)
    return os.path.basename(os.path.dirname(folder)) or ".", int(digit)


def score(predictions):
    """{set: {"images", "correct", "accuracy", "per_digit": [acc or None]*10, "confusion": 10x10}} in set order."""
    sets = {}
    for p in predictions:
        name, digit = label_of(p["image"])
        s = sets.setdefault(name, {"images": 0, "correct": 0, "confusion": [[0] * 10 for _ in range(10)]})
        predicted = p["top"][0]["digit"]
        s["images"] += 1
        s["correct"] += predicted == digit
        s["confusion"][digit][predicted] += 1
    for s in sets.values():
        s["accuracy"] = s["correct"] / s["images"]
        s["per_digit"] = [row[d] / sum(row) if sum(row) else None for d, row in enumerate(s["confusion"])]
    return sets


def read_json_line(stream, name):
    lines = [line for line in stream.read().splitlines() if line.strip()]
    if not lines:
        raise ValueError("%s: empty (predict's --json line expected)" % name)
    try:
        result = json.loads(lines[-1])
        predictions = result["predictions"]
        for p in predictions:
            p["image"], p["top"][0]["digit"]
    except (ValueError, KeyError, IndexError, TypeError) as e:
        raise ValueError("%s: last line is not predict's --json output (%s)" % (name, e)) from None
    return predictions


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", help="file holding predict's output (default: standard input)")
    parser.add_argument("--confusion", action="store_true", help="print each set's confusion matrix")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    args = parser.parse_args(argv)
    try:
        if args.file:
            with open(args.file, encoding="utf-8") as f:
                predictions = read_json_line(f, args.file)
        else:
            predictions = read_json_line(sys.stdin, "<stdin>")
        sets = score(predictions)
    except (OSError, ValueError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(sets))
        return 0
    for name, s in sets.items():
        digits = " ".join("%d:%s" % (d, "-" if a is None else "%.2f" % a) for d, a in enumerate(s["per_digit"]))
        print("%-16s %5d images  accuracy %.4f  (%s)" % (name, s["images"], s["accuracy"], digits))
        if args.confusion:
            print("      " + " ".join("%5d" % d for d in range(10)))
            for d, row in enumerate(s["confusion"]):
                print("  %d   " % d + " ".join("%5d" % n for n in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
