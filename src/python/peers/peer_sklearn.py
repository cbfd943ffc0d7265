"""The tutorial's MLP as scikit-learn's MLPClassifier (numpy, OpenBLAS); one JSON line on stdout.

    python src/python/peers/peer_sklearn.py [--data DIR]    # threads: PEER_THREADS / OPENBLAS_NUM_THREADS

As close to the tutorial as MLPClassifier allows: hidden layers 50-50 with relu, softmax output and log-loss,
solver adam with learning rate 0.001, betas 0.9/0.999, epsilon 1e-7, batches of 100, no L2 penalty
(alpha=0; its default is 1e-4), float32 throughout. One `partial_fit` call is one epoch (MLPClassifier keeps
Adam's state between calls); after each, val_loss on the same 6 000 held-out images decides early stopping
by the same rule as ours, and the best epoch's weights are put back at the end (MLPClassifier's own
early_stopping would hold out its own split and watch accuracy instead). Where it differs: biases start
uniform in the Glorot bound instead of zero; the training part is reshuffled every epoch by a full
permutation (random_state is a RandomState object, so that every partial_fit call draws a new order: an
integer seed would repeat the first epoch's order); Adam adds epsilon after the bias correction.
"""

import contextlib

import numpy as np

import mnist_peers as mp


def main():
    args = mp.parser(__doc__.splitlines()[0]).parse_args()
    threads = mp.requested_threads()
    import sklearn
    from sklearn.neural_network import MLPClassifier
    from threadpoolctl import threadpool_limits

    data = mp.Mnist(args.data, args.seed, args.limit)
    net = MLPClassifier(hidden_layer_sizes=(50, 50), activation="relu", solver="adam", alpha=0.0,
                        batch_size=args.batch_size, learning_rate_init=0.001, beta_1=0.9, beta_2=0.999,
                        epsilon=1e-7, shuffle=True, random_state=np.random.RandomState(args.seed))
    classes = np.arange(10)
    stopping = mp.EarlyStopping(args.patience)
    best = None
    log = mp.EpochLog()
    with threadpool_limits(limits=threads, user_api="blas") if threads else contextlib.nullcontext():
        log.begin()
        for epoch in range(1, mp.max_epochs(args) + 1):
            net.partial_fit(data.x_train, data.y_train, classes=classes)
            probabilities = net.predict_proba(data.x_val)
            val_loss = mp.sparse_cce(probabilities, data.y_val)
            val_accuracy = float((probabilities.argmax(1) == data.y_val).mean())
            if stopping.update(epoch, val_loss):
                best = ([c.copy() for c in net.coefs_], [b.copy() for b in net.intercepts_])
            log.add(epoch=epoch, loss=float(net.loss_), val_loss=val_loss, val_accuracy=val_accuracy)
            if stopping.should_stop:
                break
        log.end()
        net.coefs_, net.intercepts_ = best
        probabilities = net.predict_proba(data.x_test)
        blas_threads = [i["num_threads"] for i in mp.blas_info()]
        mp.emit(trainer="sklearn-mlp", framework="scikit-learn MLPClassifier",
                version=f"scikit-learn {sklearn.__version__}",
                threads=threads or max(blas_threads, default=None), model="mlp", log=log,
                train_examples=len(data.x_train), test_loss=mp.sparse_cce(probabilities, data.y_test),
                test_accuracy=float((probabilities.argmax(1) == data.y_test).mean()), best_epoch=stopping.best_epoch,
                stop_reason=stopping.reason(), dtype=str(net.coefs_[0].dtype),
                shuffle="full permutation per epoch (sklearn.utils.shuffle)")


if __name__ == "__main__":
    mp.run(main)
