"""A limit for the MLP: the 8 matrix products of one training step alone, in numpy (OpenBLAS), as samples/s.

    python src/python/peers/gemm_limit.py [--steps N]    # threads: PEER_THREADS / OPENBLAS_NUM_THREADS

One step of the 784-50-50-10 network on a batch of 100 multiplies 3 matrices forward (X W1, H1 W2, H2 W3)
and 5 backward (the three weight gradients H2'dZ3, H1'dZ2, X'dZ1 and the two hidden-layer errors dZ3 W3',
dZ2 W2'; the input's error is not needed). Everything else a trainer does (activations, softmax, loss,
Adam, feeding batches, validation) is left out, so no trainer of this network in float32 GEMMs on this
BLAS gets above this rate. Runs --steps steps (default 2 700, five epochs of 540) after 100 warm-up steps,
into preallocated outputs; prints one JSON line (samples_per_second = steps x 100 / seconds).
"""

import argparse
import contextlib
import json
import time

import numpy as np

import mnist_peers as mp


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=5 * 540)
    p.add_argument("--batch-size", type=int, default=mp.BATCH_SIZE)
    args = p.parse_args()
    if args.steps < 1:
        raise ValueError(f"--steps must be >= 1, got {args.steps}")
    threads = mp.requested_threads()
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(mp.SEED)
    b = args.batch_size

    def r(*shape):
        return rng.standard_normal(shape, dtype=np.float32)

    x, w1, w2, w3 = r(b, 784), r(784, 50), r(50, 50), r(50, 10)
    h1, h2, z3 = r(b, 50), r(b, 50), r(b, 10)   # forward outputs
    dz1, dz2, dz3 = r(b, 50), r(b, 50), r(b, 10)  # backward errors
    dw1, dw2, dw3 = r(784, 50), r(50, 50), r(50, 10)

    def step():
        np.matmul(x, w1, out=h1)
        np.matmul(h1, w2, out=h2)
        np.matmul(h2, w3, out=z3)
        np.matmul(h2.T, dz3, out=dw3)
        np.matmul(dz3, w3.T, out=dz2)
        np.matmul(h1.T, dz2, out=dw2)
        np.matmul(dz2, w2.T, out=dz1)
        np.matmul(x.T, dz1, out=dw1)

    with threadpool_limits(limits=threads, user_api="blas") if threads else contextlib.nullcontext():
        for _ in range(100):
            step()
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        seconds = time.perf_counter() - start
        blas = mp.blas_info()
    print(json.dumps({
        "trainer": "gemm-limit",
        "framework": "numpy matmul",
        "framework_version": f"numpy {np.__version__}, "
                             + ", ".join(f"OpenBLAS {i['version']} ({i['architecture']})" for i in blas),
        "threads": threads or max((i["num_threads"] for i in blas), default=None),
        "model": "mlp",
        "steps": args.steps,
        "train_seconds": seconds,
        "samples_per_second": args.steps * b / seconds,
        "blas": blas,
        "total_seconds": mp.process_elapsed(),
    }), flush=True)


if __name__ == "__main__":
    mp.run(main)
