"""The tutorial's MLP, or Keras' simple MNIST convnet, in PyTorch eager mode; one JSON line on stdout.

    python src/python/peers/peer_torch.py [--model mlp|cnn] [--data DIR]    # threads: PEER_THREADS=1

Same data, split, batch (100), Adam (Keras' defaults: lr 0.001, betas 0.9/0.999, epsilon 1e-7) and early
stopping rule as `target/mnist-tf-java train`; Glorot-uniform kernels and zero biases as Keras (PyTorch's
own defaults differ). Differences: the training part is reshuffled every epoch by a full permutation
(torch.randperm, what DataLoader(shuffle=True) does) instead of a 10 000-element shuffle buffer; the loss is
computed from logits (CrossEntropyLoss), and torch's Adam adds epsilon after the bias correction (Keras
and TensorFlow before): both are numerically negligible here.
"""

import copy

import mnist_peers as mp


def build(model):
    import torch.nn as nn

    if model == "mlp":
        net = nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 50), nn.ReLU(), nn.Linear(50, 10))
    else:  # Keras' "simple MNIST convnet"
        net = nn.Sequential(
            nn.Unflatten(1, (1, 28, 28)),
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
    for layer in net:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return net


def main():
    args = mp.parser(__doc__.splitlines()[0], models=("mlp", "cnn")).parse_args()
    threads = mp.requested_threads()
    import torch

    if threads:
        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    data = mp.Mnist(args.data, args.seed, args.limit)
    x_train, y_train = torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)
    x_val, y_val = torch.from_numpy(data.x_val), torch.from_numpy(data.y_val)
    x_test, y_test = torch.from_numpy(data.x_test), torch.from_numpy(data.y_test)

    net = build(args.model)
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    target = args.target_accuracy if args.model == "cnn" else None

    def score(x, y):
        """(mean loss, accuracy) of the current weights, in eval mode (no dropout)."""
        net.eval()
        with torch.no_grad():
            logits = torch.cat([net(x[i:i + args.batch_size]) for i in range(0, len(x), args.batch_size)])
            loss = loss_fn(logits, y).item()
            accuracy = (logits.argmax(1) == y).float().mean().item()
        net.train()
        return loss, accuracy

    stopping = mp.EarlyStopping(args.patience)
    best = copy.deepcopy(net.state_dict())
    log = mp.EpochLog()
    n = len(x_train)
    stop_reason = None
    log.begin()
    for epoch in range(1, mp.max_epochs(args) + 1):
        order = torch.randperm(n)
        total = torch.zeros(())
        for start in range(0, n, args.batch_size):
            idx = order[start:start + args.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(net(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
            total += loss.detach() * len(idx)
        val_loss, val_accuracy = score(x_val, y_val)
        record = dict(epoch=epoch, loss=total.item() / n, val_loss=val_loss, val_accuracy=val_accuracy)
        if stopping.update(epoch, val_loss):
            best = copy.deepcopy(net.state_dict())
        if target:
            record["test_accuracy"] = log.exclude(lambda: score(x_test, y_test)[1])
            record["elapsed_s"] = mp.process_elapsed()
        log.add(**record)
        if target and record["test_accuracy"] >= target:
            stop_reason = f"test accuracy reached {target}"
        else:
            stop_reason = stopping.reason()
        if stop_reason:
            break
    log.end()
    net.load_state_dict(best)
    test_loss, test_accuracy = score(x_test, y_test)
    mp.emit(trainer=f"pytorch-{args.model}", framework="PyTorch eager", version=torch.__version__,
            threads=torch.get_num_threads(), model=args.model, log=log, train_examples=n, test_loss=test_loss,
            test_accuracy=test_accuracy, best_epoch=stopping.best_epoch, stop_reason=stop_reason,
            target=target, shuffle="full permutation per epoch (torch.randperm)")


if __name__ == "__main__":
    mp.run(main)
