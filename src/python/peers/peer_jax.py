"""The tutorial's MLP in JAX: one jitted train step (forward, gradient, Adam); one JSON line on stdout.

    python src/python/peers/peer_jax.py [--data DIR]    # threads: PEER_THREADS=1 (default: XLA's, all cores)

Same data, split, batch (100), Glorot-uniform kernels with zero biases, sparse categorical cross-entropy and
early stopping rule as `target/mnist-tf-java train`. Adam is written out as Keras and TensorFlow's
ApplyAdam compute it (lr 0.001, betas 0.9/0.999, epsilon 1e-7 added to sqrt(v) before the bias
correction), as no optimizer library is installed. As in ours, the training data stay resident and each
step is given only its batch's indices. The training part is reshuffled every epoch by a full permutation
(numpy), not a 10 000-element shuffle buffer. The step and the validation are compiled ahead of the timed
loop (jax.jit(...).lower(...).compile()), as ours builds and warms up its graph before its loop.
Threads: PEER_THREADS=1 turns XLA:CPU's multi-threaded Eigen off (XLA_FLAGS); otherwise XLA uses every core
(JAX has no setting for another count).
"""

import os

import numpy as np

import mnist_peers as mp


def main():
    args = mp.parser(__doc__.splitlines()[0]).parse_args()
    threads = mp.requested_threads()
    if threads == 1:
        flags = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " " + flags).strip()
    elif threads and threads != os.cpu_count():
        raise ValueError(f"PEER_THREADS={threads}: JAX runs on 1 thread or on all {os.cpu_count()} cores")
    import jax
    import jax.numpy as jnp

    data = mp.Mnist(args.data, args.seed, args.limit)
    sizes = [784, 50, 50, 10]
    keys = jax.random.split(jax.random.PRNGKey(args.seed), len(sizes) - 1)
    params = []
    for key, fan_in, fan_out in zip(keys, sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        params.append((jax.random.uniform(key, (fan_in, fan_out), jnp.float32, -limit, limit),
                       jnp.zeros((fan_out,), jnp.float32)))
    def zeros():
        return jax.tree_util.tree_map(jnp.zeros_like, params)

    state = (params, zeros(), zeros(), jnp.zeros((), jnp.float32))  # weights, m, v, step count

    def logits(params, x):
        for w, b in params[:-1]:
            x = jax.nn.relu(x @ w + b)
        w, b = params[-1]
        return x @ w + b

    def loss_and_accuracy(params, x, y):
        z = logits(params, x)
        loss = -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(z), y[:, None], axis=1))
        return loss, jnp.mean(jnp.argmax(z, axis=1) == y)

    def step(state, x_all, y_all, idx):
        params, m, v, t = state
        x, y = x_all[idx], y_all[idx]
        loss, grads = jax.value_and_grad(lambda p: loss_and_accuracy(p, x, y)[0])(params)
        t = t + 1
        alpha = 0.001 * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        m = jax.tree_util.tree_map(lambda m, g: 0.9 * m + 0.1 * g, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: 0.999 * v + 0.001 * g * g, v, grads)
        params = jax.tree_util.tree_map(lambda p, m, v: p - alpha * m / (jnp.sqrt(v) + 1e-7), params, m, v)
        return (params, m, v, t), loss

    x_train, y_train = jnp.asarray(data.x_train), jnp.asarray(data.y_train.astype(np.int32))
    x_val, y_val = jnp.asarray(data.x_val), jnp.asarray(data.y_val.astype(np.int32))
    n, batch = len(data.x_train), args.batch_size
    sample_idx = np.zeros(batch, np.int32)
    any_step = jax.jit(step, donate_argnums=0)  # donated: the step updates the weights in place
    train_step = any_step.lower(state, x_train, y_train, sample_idx).compile()
    validate = jax.jit(loss_and_accuracy).lower(params, x_val, y_val).compile()
    rng = np.random.default_rng(args.seed)

    stopping = mp.EarlyStopping(args.patience)
    best = params
    log = mp.EpochLog()
    log.begin()
    for epoch in range(1, mp.max_epochs(args) + 1):
        order = rng.permutation(n).astype(np.int32)
        losses, sizes = [], []
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            run = train_step if len(idx) == batch else any_step  # a last, smaller batch compiles once more
            state, loss = run(state, x_train, y_train, idx)
            losses.append(loss)
            sizes.append(len(idx))
        val_loss, val_accuracy = (float(v) for v in validate(state[0], x_val, y_val))
        if stopping.update(epoch, val_loss):  # a host copy: the next step reuses the weights' buffers
            best = jax.tree_util.tree_map(lambda a: np.array(a, copy=True), state[0])
        log.add(epoch=epoch, loss=float(np.dot(np.asarray(jnp.stack(losses)), sizes)) / n, val_loss=val_loss,
                val_accuracy=val_accuracy)
        if stopping.should_stop:
            break
    log.end()
    test_loss, test_accuracy = (float(v) for v in jax.jit(loss_and_accuracy)(
        best, jnp.asarray(data.x_test), jnp.asarray(data.y_test.astype(np.int32))))
    mp.emit(trainer="jax-mlp", framework="JAX jit", version=f"jax {jax.__version__}",
            threads=threads or os.cpu_count(), model="mlp", log=log, train_examples=n, test_loss=test_loss,
            test_accuracy=test_accuracy, best_epoch=stopping.best_epoch, stop_reason=stopping.reason(),
            shuffle="full permutation per epoch (numpy)")


if __name__ == "__main__":
    mp.run(main)
