"""The MNIST files of data/mnist, read as the Java IdxReader reads them, for the Python fixtures and checks.

Shared by src/python/fixtures and src/python/check (each puts src/python on sys.path). Needs only NumPy.
"""

import gzip
import struct
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data" / "mnist"


def read_idx(path, rank):
    """One IDX file of unsigned bytes (gzip or plain, told apart by content) as a uint8 array of its shape.

    Checks the magic number (unsigned bytes, the expected rank) and that the data after the header have
    exactly the length the header declares, and raises ValueError naming the file otherwise.
    """
    raw = Path(path).read_bytes()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    header = 4 + 4 * rank
    magic = 0x0800 | rank
    if len(data) < header or struct.unpack(">I", data[:4])[0] != magic:
        raise ValueError(f"{path}: not an IDX file of rank {rank} (magic 0x{magic:08x} expected)")
    dims = struct.unpack(f">{rank}I", data[4:header])
    expected = int(np.prod(dims, dtype=np.int64))
    if len(data) - header != expected:
        raise ValueError(f"{path}: {expected} data bytes expected for dims {dims}, found {len(data) - header}")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def load(part, data_dir=DATA_DIR):
    """(uint8 images [n,28,28], int64 labels [n]) of part "train" (60 000) or "test" (10 000)."""
    prefix = {"train": "train", "test": "t10k"}[part]
    images = read_idx(Path(data_dir) / f"{prefix}-images-idx3-ubyte.gz", 3)
    labels = read_idx(Path(data_dir) / f"{prefix}-labels-idx1-ubyte.gz", 1)
    if images.shape[1:] != (28, 28) or len(images) != len(labels) or labels.max() > 9:
        raise ValueError(f"{data_dir}: {part} images {images.shape} and labels {labels.shape} do not fit MNIST")
    return images, labels.astype(np.int64)


def scaled(images):
    """uint8 pixels as float32 in [0,1], computed as the Java pipeline does: x * (1f / 255f) in float32."""
    return images.astype(np.float32) * (np.float32(1) / np.float32(255))


def cross_entropy(probabilities, labels):
    """Mean sparse categorical cross-entropy of probability rows, clipped to [1e-7, 1 - 1e-7] as Keras does.

    The same formula as the Java evaluate's loss for a model that outputs probabilities.
    """
    p = np.clip(probabilities[np.arange(len(labels)), labels].astype(np.float64), 1e-7, 1 - 1e-7)
    return float(np.mean(-np.log(p)))
