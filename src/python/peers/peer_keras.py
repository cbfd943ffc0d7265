"""The tutorial itself: Keras 3 on TensorFlow, `model.fit` with EarlyStopping; one JSON line on stdout.

    python src/python/peers/peer_keras.py [--model mlp|cnn] [--jit-compile] [--data DIR]

The MLP is the tutorial as notebooks/01-keras-tutorial-export.ipynb writes it: tf.data batches of 100 with
`shuffle(10000, seed, reshuffle_each_iteration=True)` (the buffer ours imitates), `model.fit(train,
validation_data=val, epochs=5, callbacks=[EarlyStopping(monitor="val_loss", patience=2,
restore_best_weights=True)], verbose=2)` (its epoch lines go to standard error here). The CNN is Keras'
"simple MNIST convnet" in the same loop, batch 100 like the MLP. `--jit-compile` compiles the train step
with XLA (`model.compile(jit_compile=True)`; Keras leaves XLA off on a CPU-only machine).

train_seconds runs from the first callback's on_train_begin to on_train_end: it includes the tracing of the
train and validation functions in the first epoch, as a user's `model.fit` does. Threads: PEER_THREADS
intra-op and inter-op threads (set by the runner), else TensorFlow's default (one per core for each).
"""

import contextlib
import os
import sys

import mnist_peers as mp


def main():
    p = mp.parser(__doc__.splitlines()[0], models=("mlp", "cnn"))
    p.add_argument("--jit-compile", action="store_true", help="compile the train step with XLA")
    args = p.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    import keras

    threads = mp.requested_threads()
    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    keras.utils.set_random_seed(args.seed)
    data = mp.Mnist(args.data, args.seed, args.limit)
    shape = (28, 28) if args.model == "mlp" else (28, 28, 1)
    x_train, x_val, x_test = (x.reshape((-1,) + shape) for x in (data.x_train, data.x_val, data.x_test))
    train_ds = (tf.data.Dataset.from_tensor_slices((x_train, data.y_train))
                .shuffle(10_000, seed=args.seed, reshuffle_each_iteration=True)
                .batch(args.batch_size)
                .prefetch(tf.data.AUTOTUNE))
    val_ds = tf.data.Dataset.from_tensor_slices((x_val, data.y_val)).batch(args.batch_size)
    test_ds = tf.data.Dataset.from_tensor_slices((x_test, data.y_test)).batch(args.batch_size)

    layers = keras.layers
    if args.model == "mlp":
        stack = [keras.Input(shape=shape), layers.Flatten(),
                 layers.Dense(50, activation="relu"), layers.Dense(50, activation="relu"),
                 layers.Dense(10, activation="softmax")]
    else:
        stack = [keras.Input(shape=shape),
                 layers.Conv2D(32, kernel_size=(3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)),
                 layers.Conv2D(64, kernel_size=(3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)),
                 layers.Flatten(), layers.Dropout(0.5), layers.Dense(10, activation="softmax")]
    model = keras.Sequential(stack)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
                  loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"],
                  jit_compile=True if args.jit_compile else "auto")

    log = mp.EpochLog()
    stop_reasons = []
    target = args.target_accuracy if args.model == "cnn" else None

    class Record(keras.callbacks.Callback):
        """Times the epoch loop and records each epoch; for the CNN also the test accuracy, untimed."""

        def on_train_begin(self, logs=None):
            log.begin()

        def on_epoch_end(self, epoch, logs=None):
            record = dict(epoch=epoch + 1, loss=float(logs["loss"]), val_loss=float(logs["val_loss"]),
                          val_accuracy=float(logs["val_accuracy"]))
            if target:
                def test_accuracy():
                    probabilities = self.model.predict(x_test, batch_size=args.batch_size, verbose=0)
                    return float((probabilities.argmax(1) == data.y_test).mean())
                record["test_accuracy"] = log.exclude(test_accuracy)
                record["elapsed_s"] = mp.process_elapsed()
                if record["test_accuracy"] >= target:
                    self.model.stop_training = True
                    stop_reasons.append(f"test accuracy reached {target}")
            log.add(**record)

        def on_train_end(self, logs=None):
            log.end()

    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", min_delta=0, patience=args.patience, restore_best_weights=True, verbose=1)
    with contextlib.redirect_stdout(sys.stderr):  # fit's epoch lines; stdout carries only the result
        model.fit(train_ds, validation_data=val_ds, epochs=mp.max_epochs(args), verbose=2,
                  callbacks=[Record(), early_stopping])
        test_loss, test_accuracy = model.evaluate(test_ds, verbose=0)
    if early_stopping.stopped_epoch > 0 and not stop_reasons:
        stop_reasons.append(f"val_loss did not improve for {args.patience} epochs")
    stop_reason = stop_reasons[0] if stop_reasons else None
    threads = tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count()  # 0: TF's default
    mp.emit(trainer=f"keras-{args.model}" + ("-xla" if args.jit_compile else ""), framework="Keras on TensorFlow",
            version=f"keras {keras.__version__}, tensorflow {tf.__version__}", threads=threads, model=args.model,
            log=log, train_examples=len(x_train), test_loss=float(test_loss), test_accuracy=float(test_accuracy),
            best_epoch=early_stopping.best_epoch + 1, stop_reason=stop_reason, target=target,
            jit_compile=bool(model.jit_compile),
            shuffle="tf.data shuffle(10000, reshuffle_each_iteration=True)")


if __name__ == "__main__":
    mp.run(main)
