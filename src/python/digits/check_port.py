"""Checks mnist_style.py (the Python port of predict's preprocessing) against `mnist-tf-java predict` itself.

    target/mnist-tf-java predict --model saved-models/mnist --top 10 --json target/digits/*/*/*.png > predict.json
    python src/python/digits/check_port.py --model saved-models/mnist/1 predict.json

Runs the same export in Python (tf.saved_model.load, signature serving_default, input "images") on the same
images as preprocessed by mnist_style.py, and compares every probability the JSON holds (--top 10 gives them
all) with Java's. A preprocessing difference of one pixel moves them by far more than float32 rounding does:
exits 1 when any differs by more than --tolerance, or when the top class differs.
"""

import argparse
import json
import os
import sys

import numpy as np

import mnist_style

BATCH = 512


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("predict_json", help="output of predict --json (its last line is read)")
    parser.add_argument("--model", required=True, help="the SavedModel version folder predict used, e.g. "
                                                       "saved-models/mnist/1 (one of ours: input 'images' in [0,1])")
    parser.add_argument("--base", default=".", help="folder predict ran in, for the relative image paths in its "
                                                    "output (default: the current folder)")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="largest probability difference allowed")
    args = parser.parse_args(argv)
    try:
        with open(args.predict_json, encoding="utf-8") as f:
            predictions = json.loads(f.read().splitlines()[-1])["predictions"]
    except (OSError, ValueError, KeyError, IndexError) as e:
        print("error: %s: not predict's --json output (%s)" % (args.predict_json, e), file=sys.stderr)
        return 1
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    serve = tf.saved_model.load(args.model).signatures["serving_default"]
    worst, top_mismatches = 0.0, 0
    for start in range(0, len(predictions), BATCH):
        chunk = predictions[start:start + BATCH]
        try:
            x = np.stack([mnist_style.load(os.path.join(args.base, p["image"])) for p in chunk])
        except (OSError, mnist_style.NoDigit) as e:
            print("error: %s" % e, file=sys.stderr)
            return 1
        probs = serve(images=tf.constant(x.astype(np.float32)))["probabilities"].numpy()
        for p, row in zip(chunk, probs):
            top_mismatches += int(np.argmax(row)) != p["top"][0]["digit"]
            for t in p["top"]:
                worst = max(worst, abs(float(row[t["digit"]]) - t["probability"]))
    print("%d images: largest probability difference %.2g, top class differs on %d"
          % (len(predictions), worst, top_mismatches))
    return 0 if worst <= args.tolerance and top_mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
