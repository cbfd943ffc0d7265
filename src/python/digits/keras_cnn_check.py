"""Trains the simple Keras MNIST convnet in Python and scores it on ImageFolder digit sets, for comparison.

    python src/python/digits/keras_cnn_check.py --data data/mnist target/digits/*/

The network of Keras' "Simple MNIST convnet" example: Conv2D(32, 3x3, relu) - MaxPool(2) - Conv2D(64, 3x3, relu) -
MaxPool(2) - Flatten - Dropout(0.5) - Dense(10, softmax), Adam, batch 128, 10% of the training images held out
for validation, a few epochs (--epochs, default 5), seeded. It is scored on MNIST's test set, then on each set
folder given, every image preprocessed by mnist_style.py exactly as `mnist-tf-java predict` does. The model is
not saved: this is a reference point for the sets' difficulty, not a model of the project.
"""

import argparse
import glob
import gzip
import os
import sys
import time

import numpy as np

import mnist_style


def read_idx(path, magic, dims):
    with gzip.open(path, "rb") as f:
        data = f.read()
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        raise ValueError("%s: magic 0x%08x expected, found 0x%08x" % (path, magic, found))
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if body.size != int(np.prod(shape)):
        raise ValueError("%s: %d bytes of data for shape %s" % (path, body.size, shape))
    return body.reshape(shape)


def load_mnist(folder):
    def part(name):
        x = read_idx(os.path.join(folder, name + "-images-idx3-ubyte.gz"), 0x803, 3)
        y = read_idx(os.path.join(folder, name + "-labels-idx1-ubyte.gz"), 0x801, 1)
        return x.astype(np.float32) / 255.0, y.astype(np.int64)

    return part("train"), part("t10k")


def load_set(folder):
    """(x (n, 28, 28) float32, y (n,), paths) from folder/<digit>/*.png, preprocessed as predict does."""
    xs, ys, paths = [], [], []
    for digit in range(10):
        for path in sorted(glob.glob(os.path.join(folder, str(digit), "*.png"))):
            xs.append(mnist_style.load(path))
            ys.append(digit)
            paths.append(path)
    if not xs:
        raise ValueError("%s: no images in <digit>/*.png (ImageFolder layout expected)" % folder)
    return np.stack(xs).astype(np.float32), np.array(ys), paths


def build(keras):
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", help="set folders, each holding 0/ ... 9/ with PNG images")
    parser.add_argument("--data", default="data/mnist", help="folder of the four MNIST gzip IDX files")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--errors", metavar="FILE", help="write each misclassified image and its class to FILE")
    args = parser.parse_args(argv)
    try:
        (x_train, y_train), (x_test, y_test) = load_mnist(args.data)
        sets = {os.path.normpath(s): load_set(s) for s in args.sets}
    except (OSError, ValueError, mnist_style.NoDigit) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    keras.utils.set_random_seed(args.seed)
    model = build(keras)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    start = time.time()
    model.fit(x_train[..., None], y_train, batch_size=128, epochs=args.epochs, validation_split=0.1, verbose=2)
    print("trained %d epochs in %.0f s" % (args.epochs, time.time() - start))
    _, accuracy = model.evaluate(x_test[..., None], y_test, verbose=0)
    print("%-32s %5d images  accuracy %.4f" % ("MNIST test", len(y_test), accuracy))
    errors = []
    for name, (x, y, paths) in sets.items():
        predicted = np.argmax(model.predict(x[..., None], batch_size=512, verbose=0), axis=1)
        errors += ["%s %d" % (p, c) for p, c, d in zip(paths, predicted, y) if c != d]
        per_digit = " ".join("%d:%.2f" % (d, np.mean(predicted[y == d] == d)) for d in range(10) if np.any(y == d))
        print("%-32s %5d images  accuracy %.4f  (%s)" % (name, len(y), np.mean(predicted == y), per_digit))
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
