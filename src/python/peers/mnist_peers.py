"""What every peer trainer shares: the data, the split, the early-stopping rule, the clock and the result line.

The peers train the tutorial's networks in other frameworks on the same files and rules as
`target/mnist-tf-java train`, so that src/python/peers/run.py can measure them beside it:

- the four gzip IDX files of data/mnist, read and checked here (no download), pixels scaled to [0,1] as
  float32 exactly as the Java pipeline scales them (x * (1f / 255f));
- the validation split of io.mnisttf.data.MnistData.split: 10 % of the 60 000 training images held out once
  by a Fisher-Yates shuffle driven by java.util.SplittableRandom(seed), reproduced bit for bit, so every peer
  validates on the very same 6 000 images as ours and trains on the same 54 000;
- early stopping as io.mnisttf.train.EarlyStopping and Keras' EarlyStopping(monitor="val_loss", patience=2,
  min_delta=0, restore_best_weights=True);
- one JSON line on standard output at the end (everything else goes to standard error).

Only the standard library and numpy are used here.
"""

import argparse
import gzip
import json
import math
import os
import struct
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO / "data" / "mnist"
SEED = 42
VALIDATION_FRACTION = 0.1
BATCH_SIZE = 100
PATIENCE = 2


def process_elapsed():
    """Seconds since this process started (10 ms resolution), from /proc/self/stat and CLOCK_BOOTTIME.

    The kernel records a process's start in clock ticks since boot, so this includes the interpreter's
    own start and every import, as the runner's wall time of the process does.
    """
    with open("/proc/self/stat", "rb") as f:
        stat = f.read()
    fields = stat[stat.rindex(b")") + 2:].split()  # after "pid (comm) ": field 3 (state) onwards
    start_ticks = int(fields[19])  # field 22, starttime
    return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")


class DataError(Exception):
    """A data file that is missing or not what MNIST's IDX format says it must be."""


def read_idx(path, rank):
    """One gzip (or plain) IDX file of unsigned bytes, as a uint8 array of the shape its header declares."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
        data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except OSError as e:
        raise DataError(f"{path}: {e.strerror or e}") from None
    header = 4 + 4 * rank
    magic = 0x0800 | rank
    if len(data) < header:
        raise DataError(f"{path}: truncated IDX header ({header} bytes expected, found {len(data)})")
    (found,) = struct.unpack(">I", data[:4])
    if found != magic:
        raise DataError(f"{path}: not an IDX file of rank {rank} (magic 0x{magic:08x} expected, found 0x{found:08x})")
    dims = struct.unpack(f">{rank}I", data[4:header])
    expected = math.prod(dims)
    if len(data) - header != expected:
        raise DataError(f"{path}: {expected} data bytes expected for dims {dims}, found {len(data) - header}")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def _load_part(data_dir, images_name, labels_name):
    images = read_idx(data_dir / images_name, 3)
    labels = read_idx(data_dir / labels_name, 1)
    if images.shape[1:] != (28, 28):
        raise DataError(f"{data_dir / images_name}: 28x28 images expected, found {images.shape[1:]}")
    if len(labels) != len(images):
        raise DataError(f"{data_dir / labels_name}: {len(labels)} labels for {len(images)} images")
    if labels.max() > 9:
        raise DataError(f"{data_dir / labels_name}: label {labels.max()} found (0-9 expected)")
    scaled = images.reshape(len(images), 784).astype(np.float32) * (np.float32(1) / np.float32(255))
    return scaled, labels.astype(np.int64)


class Mnist:
    """The split data: x_* float32 [n, 784] in [0,1], y_* int64 [n]; 54 000 train, 6 000 validation, 10 000 test.

    With limit, only the first `limit` of the 60 000 training examples are split (for quick runs).
    """

    def __init__(self, data_dir, seed=SEED, limit=0, validation_fraction=VALIDATION_FRACTION):
        data_dir = Path(data_dir)
        x_all, y_all = _load_part(data_dir, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
        if limit:  # as train --limit: the first `limit` training examples, before the split
            x_all, y_all = x_all[:limit], y_all[:limit]
        self.x_test, self.y_test = _load_part(data_dir, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
        # DataConfig's validation count: max(1, Math.round(n * fraction)), halves rounded up.
        validation_count = max(1, math.floor(len(x_all) * validation_fraction + 0.5))
        train_idx, val_idx = java_split(len(x_all), validation_count, seed)
        self.x_train, self.y_train = x_all[train_idx], y_all[train_idx]
        self.x_val, self.y_val = x_all[val_idx], y_all[val_idx]


_MASK64 = (1 << 64) - 1
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def java_split(n, validation_count, seed):
    """(training indices, validation indices), each ascending, as MnistData.split(validationCount, seed).

    A Fisher-Yates shuffle of 0..n-1 by java.util.SplittableRandom(seed).nextInt(i + 1) (Java 17: SplitMix64,
    mix32 with the Murmur3-variant constants, bounded by rejection), then the first validation_count
    indices are held out.
    """
    state = seed & _MASK64
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        bound = i + 1
        while True:
            state = (state + _GOLDEN_GAMMA) & _MASK64
            z = ((state ^ (state >> 33)) * 0x62A9D9ED799705F5) & _MASK64
            r = (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & _MASK64) >> 32  # nextInt() as unsigned 32 bits
            if bound & (bound - 1) == 0:
                j = r & (bound - 1)
                break
            u = r >> 1
            j = u % bound
            if u + (bound - 1) - j < 2**31:  # else Java's int overflows: reject and draw again
                break
        order[i], order[j] = order[j], order[i]
    return np.sort(order[validation_count:]), np.sort(order[:validation_count])


class EarlyStopping:
    """Keras' EarlyStopping(monitor="val_loss", min_delta=0, patience, restore_best_weights=True), by hand.

    Call update(val_loss) after each epoch: it says whether this epoch is the best so far (then snapshot the
    weights) and sets should_stop after `patience` epochs in a row without improvement. A NaN val_loss never
    improves; the first epoch is the best until another beats it.
    """

    def __init__(self, patience=PATIENCE):
        self.patience = patience
        self.best = math.inf
        self.best_epoch = 0
        self.wait = 0
        self.should_stop = False

    def update(self, epoch, val_loss):
        first = self.best_epoch == 0
        self.wait += 1
        if val_loss < self.best:
            self.best, self.best_epoch, self.wait = val_loss, epoch, 0
            return True
        if first:
            self.best_epoch = epoch
            return True
        if self.wait >= self.patience:
            self.should_stop = True
        return False

    def reason(self):
        return f"val_loss did not improve for {self.patience} epochs" if self.should_stop else None


def sparse_cce(probabilities, labels):
    """Mean sparse categorical cross-entropy of softmax outputs, clipped as Keras clips them (1e-7)."""
    p = np.clip(probabilities[np.arange(len(labels)), labels], 1e-7, 1 - 1e-7)
    return float(-np.mean(np.log(p)))


def parser(description, models=("mlp",)):
    """The options every peer takes; the runner passes them, and each has the tutorial's value by default."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--model", choices=models, default=models[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the four MNIST gzip IDX files")
    p.add_argument("--epochs", type=int, default=None, help="maximum epochs (mlp 5, cnn 15)")
    p.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    p.add_argument("--patience", type=int, default=PATIENCE)
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--limit", type=int, default=0, help="use only the first N training examples (quick runs)")
    p.add_argument("--target-accuracy", type=float, default=0.99,
                   help="cnn: evaluate the test set after every epoch and stop once it reaches this (0: never stop)")
    return p


def max_epochs(args):
    return args.epochs if args.epochs is not None else (15 if args.model == "cnn" else 5)


def requested_threads():
    """The thread count the runner asks for (PEER_THREADS), or None for the framework's default."""
    value = os.environ.get("PEER_THREADS")
    return int(value) if value else None


def blas_info():
    """The BLAS libraries loaded so far, with their kernel and thread count (threadpoolctl), for the record."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    return [{k: i.get(k) for k in ("internal_api", "architecture", "num_threads", "version")}
            for i in threadpool_info() if i.get("user_api") == "blas"]


class EpochLog:
    """Per-epoch records and the timed epoch loop: train time excludes only what exclude() measures."""

    def __init__(self):
        self.epochs = []
        self.excluded = 0.0
        self.start = None
        self.seconds = None

    def begin(self):
        self.start = time.perf_counter()

    def end(self):
        self.seconds = time.perf_counter() - self.start - self.excluded

    def exclude(self, fn):
        """Runs fn() outside the timed training (the CNN's per-epoch test evaluation); returns its result."""
        t = time.perf_counter()
        try:
            return fn()
        finally:
            self.excluded += time.perf_counter() - t

    def add(self, **record):
        self.epochs.append(record)
        shown = " - ".join(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}" for k, v in record.items())
        print(shown, file=sys.stderr, flush=True)


def first_reaching(epochs, target):
    """(epoch, elapsed_s) of the first epoch whose test accuracy reached target, or (None, None)."""
    for e in epochs:
        if e.get("test_accuracy") is not None and e["test_accuracy"] >= target:
            return e["epoch"], e["elapsed_s"]
    return None, None


def emit(*, trainer, framework, version, threads, model, log, train_examples, test_loss, test_accuracy,
         best_epoch, stop_reason, target=None, **extra):
    """Prints the result as one JSON line on standard output (the runner reads the last line)."""
    epochs_run = len(log.epochs)
    result = {
        "trainer": trainer,
        "framework": framework,
        "framework_version": version,
        "threads": threads,
        "model": model,
        "epochs_run": epochs_run,
        "best_epoch": best_epoch,
        "stopped_early": stop_reason is not None,
        "stop_reason": stop_reason,
        "train_examples": train_examples,
        "train_seconds": log.seconds,
        "samples_per_second": epochs_run * train_examples / log.seconds if log.seconds else None,
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
        "epoch_log": log.epochs,
    }
    if target:
        epoch, elapsed = first_reaching(log.epochs, target)
        result.update(target_accuracy=target, target_epoch=epoch, seconds_to_target=elapsed)
    result.update(extra)
    result["blas"] = blas_info()
    result["total_seconds"] = process_elapsed()
    print(json.dumps(result), flush=True)


def run(main):
    """Runs main(); a bad data file or option gives one line `error: ...` on standard error and exit code 1."""
    try:
        main()
    except (DataError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
