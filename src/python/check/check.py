#!/usr/bin/env python3
"""The opt-in Python-side check of mnist-tf-java: our export, our TensorBoard logs and the notebooks, in Python.

    src/python/check/run.sh [--keep DIR] [--skip-notebooks]

Trains the default model with the Java tool into a temporary folder, then checks it against Python TensorFlow
and Keras (see README.md beside this file for every row), prints one table and exits 1 on any mismatch.
"""

import argparse
import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import mnist_idx  # noqa: E402  (src/python/mnist_idx.py)

import numpy as np  # noqa: E402

REPO = mnist_idx.REPO
TOOL = REPO / "target" / "mnist-tf-java"
PROBABILITY_TOLERANCE = 1e-5
BATCH = 1000


class StepFailed(Exception):
    """A step that could not produce what later rows need; its message is one line."""


class Table:
    """The rows of the report: check, expected, found, and whether they agree."""

    def __init__(self):
        self.rows = []

    def add(self, check, expected, found, ok):
        self.rows.append((check, str(expected), str(found), "ok" if ok else "MISMATCH"))
        print(f"[{'ok' if ok else 'MISMATCH'}] {check}: expected {expected}; found {found}", file=sys.stderr,
              flush=True)
        return ok

    def failed(self, check, expected, problem):
        self.rows.append((check, str(expected), f"failed: {problem}", "FAILED"))
        print(f"[FAILED] {check}: {problem}", file=sys.stderr, flush=True)

    def print(self):
        header = ("check", "expected", "found", "ok")
        widths = [min(limit, max(len(r[i]) for r in self.rows + [header])) for i, limit in enumerate((50, 44, 44, 8))]
        def line(cells):
            wrapped = [wrap(c, w) for c, w in zip(cells, widths)]
            for k in range(max(len(w) for w in wrapped)):
                print(" | ".join((w[k] if k < len(w) else "").ljust(width)
                                 for w, width in zip(wrapped, widths)).rstrip())
        line(header)
        print("-+-".join("-" * w for w in widths))
        for row in self.rows:
            line(row)
        passed = sum(r[3] == "ok" for r in self.rows)
        print(f"\ncheck: {passed} passed, {len(self.rows) - passed} failed")

    def all_ok(self):
        return bool(self.rows) and all(r[3] == "ok" for r in self.rows)


def wrap(text, width):
    words, lines, current = text.split(" "), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + [current]


def run_tool(*args, cwd=REPO):
    """Runs target/mnist-tf-java with --json; returns the JSON object of its last line. StepFailed otherwise."""
    command = [str(TOOL), *map(str, args), "--json"]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        problem = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise StepFailed(f"`{' '.join(command[1:])}` exited with {result.returncode}: {problem}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def close(a, b, digits=4):
    return f"{a:.{digits}f}" == f"{b:.{digits}f}"


# ---------------------------------------------------------------------------------------------------------------
# Our export: Java's probabilities against three Python loaders


def read_java_predictions(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    expected = ["index", "label", "predicted"] + [f"p{c}" for c in range(10)]
    if header != expected:
        raise StepFailed(f"{path}: header {header} (expected {expected})")
    data = np.array(rows[1:], dtype=np.float64)
    return data[:, 1].astype(np.int64), data[:, 2].astype(np.int64), data[:, 3:].astype(np.float32)


def load_with_tf2(export, images):
    import tensorflow as tf
    serving = tf.saved_model.load(str(export)).signatures["serving_default"]
    outputs = [serving(images=tf.constant(images[s:s + BATCH])) for s in range(0, len(images), BATCH)]
    return (np.concatenate([o["probabilities"].numpy() for o in outputs]),
            np.concatenate([o["classes"].numpy() for o in outputs]))


def load_with_tf1(export, images):
    import tensorflow as tf
    v1 = tf.compat.v1
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as sess:
        meta_graph = v1.saved_model.loader.load(sess, ["serve"], str(export))
        signature = meta_graph.signature_def["serving_default"]
        fetches = [signature.outputs["probabilities"].name, signature.outputs["classes"].name]
        outputs = [sess.run(fetches, {signature.inputs["images"].name: images[s:s + BATCH]})
                   for s in range(0, len(images), BATCH)]
    return np.concatenate([o[0] for o in outputs]), np.concatenate([o[1] for o in outputs])


def load_with_tfsm_layer(export, images):
    import keras
    import tensorflow as tf
    layer = keras.layers.TFSMLayer(str(export), call_endpoint="serving_default")
    outputs = [layer(tf.constant(images[s:s + BATCH])) for s in range(0, len(images), BATCH)]
    return (np.concatenate([np.asarray(o["probabilities"]) for o in outputs]),
            np.concatenate([np.asarray(o["classes"]) for o in outputs]))


def check_loaders(table, export, java_probabilities, java_predicted, labels, trained):
    images = mnist_idx.scaled(mnist_idx.load("test")[0])
    loaders = [("tf.saved_model.load (TF2)", load_with_tf2),
               ("tf.compat.v1.saved_model.loader.load (TF1 session)", load_with_tf1),
               ("keras.layers.TFSMLayer (Keras 3)", load_with_tfsm_layer)]
    for name, loader in loaders:
        try:
            probabilities, classes = loader(export, images)
        except Exception as e:  # a loader that cannot load our export is a finding, not a crash of the check
            table.failed(f"{name}: loads our export", "loads", f"{type(e).__name__}: {str(e).splitlines()[0]}")
            continue
        difference = float(np.max(np.abs(probabilities - java_probabilities)))
        differing = int(np.sum(probabilities.argmax(axis=1) != java_predicted))
        classes_output = int(np.sum(classes != probabilities.argmax(axis=1)))
        table.add(f"{name}: probabilities of the 10 000 test images vs Java's",
                  f"max |diff| <= {PROBABILITY_TOLERANCE:g}, same argmax, 'classes' = argmax",
                  f"max |diff| {difference:.1e}, {differing} argmax differ, {classes_output} 'classes' differ",
                  difference <= PROBABILITY_TOLERANCE and differing == 0 and classes_output == 0)
        accuracy = float(np.mean(probabilities.argmax(axis=1) == labels))
        table.add(f"{name}: test accuracy vs train's", f"{trained['test_accuracy']:.4f}", f"{accuracy:.4f}",
                  close(accuracy, trained["test_accuracy"]))


# ---------------------------------------------------------------------------------------------------------------
# TensorBoard: our event files against what Keras 3's own callback writes


def read_runs(logdir):
    """{run folder: {tag: (kind, steps, values)}} of the scalar series under logdir, read by EventAccumulator."""
    from tensorboard.backend.event_processing import event_accumulator
    from tensorboard.util import tensor_util
    runs = {}
    for run in sorted(p for p in Path(logdir).iterdir() if p.is_dir()):
        accumulator = event_accumulator.EventAccumulator(
            str(run), size_guidance=event_accumulator.STORE_EVERYTHING_SIZE_GUIDANCE)
        accumulator.Reload()
        tags = accumulator.Tags()
        series = {}
        for tag in tags.get("scalars", []):
            events = accumulator.Scalars(tag)
            series[tag] = ("simple_value", [e.step for e in events], [e.value for e in events])
        for tag in tags.get("tensors", []):
            if accumulator.SummaryMetadata(tag).plugin_data.plugin_name != "scalars":
                continue  # not a scalar curve (a model summary, a graph...)
            events = accumulator.Tensors(tag)
            dtypes = {tensor_util.make_ndarray(e.tensor_proto).dtype.name for e in events}
            series[tag] = (f"tensor ({'/'.join(sorted(dtypes))} scalar, 'scalars' plugin)",
                           [e.step for e in events],
                           [float(tensor_util.make_ndarray(e.tensor_proto)) for e in events])
        runs[run.name] = series
    return runs


def keras_reference_logs(logdir, epochs=2, steps_per_epoch=10, batch_size=100):
    """A tiny Keras 3 fit with the TensorBoard callback at update_freq='batch' (write_graph=False)."""
    import keras
    keras.utils.set_random_seed(42)
    images, labels = mnist_idx.load("train")
    x = mnist_idx.scaled(images)
    n = steps_per_epoch * batch_size
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                              keras.layers.Dense(16, activation="relu"), keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[:n], labels[:n], validation_data=(x[n:n + 200], labels[n:n + 200]), epochs=epochs,
              batch_size=batch_size, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(str(logdir), update_freq="batch", write_graph=False)])
    return epochs, steps_per_epoch


def epoch_offsets(series):
    """The step of the first epoch of each epoch_* tag; None when the steps are not consecutive."""
    offsets = set()
    for tag, (_, steps, _) in series.items():
        if tag.startswith("epoch_"):
            offsets.add(steps[0] if steps == list(range(steps[0], steps[0] + len(steps))) else None)
    return offsets


def last_batch_matches_epoch(train, steps_per_epoch):
    """For each epoch: (batch_loss at its last step, epoch_loss)."""
    batch = dict(zip(train["batch_loss"][1], train["batch_loss"][2]))
    _, epoch_steps, epoch_values = train["epoch_loss"]
    first = epoch_steps[0]
    return [(batch.get((step - first + 1) * steps_per_epoch), value) for step, value in zip(epoch_steps, epoch_values)]


def number(value):
    return "none" if value is None else f"{value:.4f}"


def describe_epoch_steps(offsets):
    if offsets == {0}:
        return "epoch e at step e - 1 (0-based: 0, 1, ...)"
    if offsets == {1}:
        return "epoch e at step e (1-based: 1, 2, ...)"
    return f"first steps {sorted(offsets, key=str)}"


def check_tensorboard(table, work, java_logdir, trained, run_dir):
    keras_logdir = work / "keras-logs"
    try:
        keras_epochs, keras_steps = keras_reference_logs(keras_logdir)
        keras_runs, java_runs = read_runs(keras_logdir), read_runs(java_logdir)
    except Exception as e:
        table.failed("TensorBoard logs read by EventAccumulator", "both read", f"{type(e).__name__}: {e}")
        return
    table.add("TensorBoard: run folders (Keras 3 TensorBoard(update_freq='batch') vs ours)",
              ", ".join(sorted(keras_runs)), ", ".join(sorted(java_runs)), sorted(keras_runs) == sorted(java_runs))
    for run in sorted(set(keras_runs) | set(java_runs)):
        expected, found = sorted(keras_runs.get(run, {})), sorted(java_runs.get(run, {}))
        missing, extra = sorted(set(expected) - set(found)), sorted(set(found) - set(expected))
        table.add(f"TensorBoard: {run}/ scalar tags", ", ".join(expected) or "(none)",
                  ", ".join(found) + (f" (missing: {', '.join(missing)})" if missing else "")
                  + (f" (not in Keras: {', '.join(extra)})" if extra else ""),
                  expected == found)
    kinds = lambda runs: sorted({kind for series in runs.values() for kind, _, _ in series.values()})
    table.add("TensorBoard: how scalar values are stored", "; ".join(kinds(keras_runs)), "; ".join(kinds(java_runs)),
              kinds(keras_runs) == kinds(java_runs))
    keras_offsets = set().union(*(epoch_offsets(s) for s in keras_runs.values()))
    java_offsets = set().union(*(epoch_offsets(s) for s in java_runs.values()))
    table.add("TensorBoard: step of the epoch_* values", describe_epoch_steps(keras_offsets),
              describe_epoch_steps(java_offsets), keras_offsets == java_offsets)
    steps_per_epoch = trained["steps_per_epoch"]
    java_train, keras_train = java_runs.get("train", {}), keras_runs.get("train", {})
    if "batch_loss" in java_train and "batch_loss" in keras_train:
        keras_ok = keras_train["batch_loss"][1] == list(range(1, keras_epochs * keras_steps + 1))
        java_steps = java_train["batch_loss"][1]
        java_total = trained["epochs_run"] * steps_per_epoch
        table.add("TensorBoard: steps of batch_loss",
                  "one per training step, global, 1-based: 1.." + ("E x S" if keras_ok else "(Keras differs!)")
                  + f" (ours: 1..{java_total})",
                  f"{len(java_steps)} values, steps {java_steps[0]}..{java_steps[-1]}",
                  keras_ok and java_steps == list(range(1, java_total + 1)))
        keras_pairs = last_batch_matches_epoch(keras_train, keras_steps)
        java_pairs = last_batch_matches_epoch(java_train, steps_per_epoch)
        keras_running_mean = all(b is not None and abs(b - e) <= 1e-5 * max(1, abs(e)) for b, e in keras_pairs)
        java_running_mean = all(b is not None and abs(b - e) <= 1e-5 * max(1, abs(e)) for b, e in java_pairs)
        table.add("TensorBoard: what batch_loss is",
                  "the running mean of the epoch so far (Keras: batch_loss at an epoch's last step = epoch_loss"
                  + ("" if keras_running_mean else "; NOT seen in the Keras reference") + ")",
                  "the running mean (last step = epoch_loss)" if java_running_mean else
                  "the step's own loss: at epoch 1's last step batch_loss "
                  f"{number(java_pairs[0][0])}, epoch_loss {number(java_pairs[0][1])}",
                  keras_running_mean and java_running_mean)
    check_tensorboard_against_history(table, java_runs, run_dir)


def check_tensorboard_against_history(table, java_runs, run_dir):
    """Our event files against our own run folder's history.csv (float32 rounding apart)."""
    with open(Path(run_dir) / "history.csv", newline="") as f:
        history = list(csv.DictReader(f))
    pairs = [("train", "epoch_loss", "loss"), ("train", "epoch_accuracy", "accuracy"),
             ("validation", "epoch_loss", "val_loss"), ("validation", "epoch_accuracy", "val_accuracy")]
    worst = 0.0
    for run, tag, column in pairs:
        values = java_runs.get(run, {}).get(tag, (None, [], []))[2]
        if len(values) != len(history):
            table.add("TensorBoard: our epoch values vs our history.csv", f"{len(history)} epochs per tag",
                      f"{len(values)} values of {run}/{tag}", False)
            return
        worst = max([worst] + [abs(v - float(h[column])) for v, h in zip(values, history)])
    table.add("TensorBoard: our epoch values vs our history.csv", "equal within float32 rounding (<= 1e-6)",
              f"max |diff| {worst:.1e}", worst <= 1e-6)


# ---------------------------------------------------------------------------------------------------------------
# The notebooks, run end to end with nbclient in a copy of the repository's layout


def notebook_repo(work, export_base):
    """work/repo: the repository's layout with links to pom.xml, data and target, copies of the notebooks, and
    saved-models/mnist pointing at our export, so that the notebooks write nothing into the repository."""
    repo = work / "repo"
    (repo / "saved-models").mkdir(parents=True)
    for name in ("pom.xml", "data", "target"):
        (repo / name).symlink_to(REPO / name)
    shutil.copytree(REPO / "notebooks", repo / "notebooks")
    (repo / "saved-models" / "mnist").symlink_to(export_base.resolve())
    return repo


def kernel_name(work):
    """A kernelspec whose python is this one, installed into work/jupyter and put first on JUPYTER_PATH."""
    name = "mnist-tf-java-check"
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(work / "jupyter"), "--name", name],
                   check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = str(work / "jupyter" / "share" / "jupyter")
    return name


def run_notebook(path, kernel):
    """Executes the notebook in place with nbclient (working folder: its own); returns it with its outputs."""
    import nbformat
    from nbclient import NotebookClient
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=1800, kernel_name=kernel,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    finally:
        nbformat.write(notebook, path)
    return notebook


def cell_text(notebook, cell_id):
    for cell in notebook.cells:
        if cell.get("id") == cell_id:
            return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    raise StepFailed(f"no cell '{cell_id}' in the notebook")


def check_notebooks(table, work, export_base, trained):
    repo = notebook_repo(work, export_base)
    kernel = kernel_name(work)
    results = {}
    for stem in ("01-keras-tutorial-export", "02-java-export-in-python-and-serving"):
        path = repo / "notebooks" / f"{stem}.ipynb"
        started = time.monotonic()
        try:
            results[stem] = run_notebook(path, kernel)
        except Exception as e:
            first = str(e).strip().splitlines()
            table.failed(f"notebook {stem} runs end to end (nbclient)", "every cell runs",
                         f"{type(e).__name__}: {first[-1] if first else ''} (executed copy: {path})")
            continue
        code = [c for c in results[stem].cells if c.cell_type == "code"]
        skipped = [line for c in code for o in c.get("outputs", []) for line in o.get("text", "").splitlines()
                   if line.startswith("skipped:")]
        table.add(f"notebook {stem} runs end to end (nbclient)", "every code cell runs",
                  f"{len(code)} code cells in {time.monotonic() - started:.0f}s"
                  + (f"; {skipped[0]}" if skipped else ""), True)

    keras_notebook = results.get("01-keras-tutorial-export")
    if keras_notebook is not None:
        printed = re.search(r"Test: loss (\d+\.\d+) - accuracy (\d+\.\d+)", cell_text(keras_notebook, "evaluate"))
        exports = sorted((repo / "saved-models" / "keras-mnist").glob("[0-9]*"), key=lambda p: int(p.name))
        if printed is None or not exports:
            table.failed("Keras notebook's export in Java", "a printed test line and an export",
                         "no 'Test: loss ... - accuracy ...' line or no export in saved-models/keras-mnist")
        else:
            loss, accuracy = float(printed.group(1)), float(printed.group(2))
            try:
                java = run_tool("evaluate", "--model", exports[-1])
                table.add("Keras notebook's export, Java evaluate: accuracy vs the notebook's printed one",
                          f"{accuracy:.4f}", f"{java['accuracy']:.4f}", close(java["accuracy"], accuracy))
                table.add("Keras notebook's export, Java evaluate: loss vs the notebook's printed one",
                          f"{loss:.4f} +- 1e-4", f"{java['loss']:.4f}", abs(java["loss"] - loss) <= 1e-4 + 5e-5)
            except StepFailed as e:
                table.failed("Keras notebook's export in Java evaluate", "a score", str(e))

    java_notebook = results.get("02-java-export-in-python-and-serving")
    if java_notebook is not None:
        printed = re.search(r"Test accuracy in Python: (\d+\.\d+)", cell_text(java_notebook, "score"))
        table.add("notebook 02: Python's test accuracy of our export vs train's",
                  f"{trained['test_accuracy']:.4f}", printed.group(1) if printed else "no such line",
                  printed is not None and close(float(printed.group(1)), trained["test_accuracy"]))


# ---------------------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--skip-notebooks", action="store_true", help="do not run the notebooks (faster)")
    parser.add_argument("--export", type=Path,
                        help="check this export of ours (e.g. of train --model cnn) instead of training one: Java's"
                             " evaluate and the three Python loaders against the accuracy its contract records")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            print(f"error: {args.keep}: not empty (give a new or empty folder)", file=sys.stderr)
            return 2
        args.keep.mkdir(parents=True, exist_ok=True)
    work = (args.keep or Path(tempfile.mkdtemp(prefix="mnist-tf-java-check-"))).resolve()
    table = Table()
    try:
        if args.export:
            check_export(table, work, args.export.resolve())
        else:
            checks(table, work, args.skip_notebooks)
    except StepFailed as e:
        table.failed("(a step the rest needs)", "runs", str(e))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}", file=sys.stderr)
    print()
    table.print()
    return 0 if table.all_ok() else 1


def checks(table, work, skip_notebooks):
    import tensorflow as tf
    import keras
    print(f"Python {sys.version.split()[0]} ({sys.executable}), TensorFlow {tf.__version__}, Keras "
          f"{keras.__version__}; work folder {work}", file=sys.stderr, flush=True)
    trained = run_tool("train", "--export-dir", work / "export", "--logdir", work / "logs",
                       "--runs-dir", work / "runs")
    config = json.loads((Path(trained["run_dir"]) / "config.json").read_text())
    examples = config["data"]["limit"] or len(mnist_idx.load("train")[1])
    validation = max(1, math.floor(examples * config["data"]["validation_fraction"] + 0.5))
    trained["steps_per_epoch"] = math.ceil((examples - validation) / config["train"]["batch_size"])
    table.add("Java train (default settings) exports a model", "an export and a test accuracy",
              f"{trained['export_dir']}: test accuracy {trained['test_accuracy']:.4f}, loss "
              f"{trained['test_loss']:.4f}, {trained['epochs_run']} epochs", Path(trained["export_dir"]).is_dir())
    export = Path(trained["export_dir"])
    check_java_and_loaders(table, work, export, trained)
    check_tensorboard(table, work, work / "logs", trained, trained["run_dir"])
    if skip_notebooks:
        table.failed("notebooks", "run end to end", "not run (--skip-notebooks)")
    else:
        check_notebooks(table, work, export.parent, trained)


def check_export(table, work, export):
    """An existing export of ours: its contract's test metrics stand for what train printed."""
    contract = export / "assets.extra" / "mnist-tf-java.json"
    if not contract.is_file():
        raise StepFailed(f"{export}: not an export of this tool (no {contract.relative_to(export)})")
    metrics = json.loads(contract.read_text())["metrics"]
    trained = {"test_accuracy": metrics["test_accuracy"], "test_loss": metrics["test_loss"]}
    table.add("the export's contract records a test accuracy", "a test accuracy",
              f"{export}: test accuracy {trained['test_accuracy']:.4f}, loss {trained['test_loss']:.4f}", True)
    check_java_and_loaders(table, work, export, trained)


def check_java_and_loaders(table, work, export, trained):
    evaluated = run_tool("evaluate", "--model", export, "--predictions", work / "java.csv")
    table.add("Java evaluate of the export: accuracy vs train's", f"{trained['test_accuracy']:.4f}",
              f"{evaluated['accuracy']:.4f}", close(evaluated["accuracy"], trained["test_accuracy"]))
    table.add("Java evaluate of the export: loss vs train's", f"{trained['test_loss']:.4f} +- 1e-4",
              f"{evaluated['loss']:.4f}", abs(evaluated["loss"] - trained["test_loss"]) <= 1e-4)
    labels = mnist_idx.load("test")[1]
    java_labels, java_predicted, java_probabilities = read_java_predictions(work / "java.csv")
    table.add("Java --predictions CSV: rows and labels", "10000 rows, labels of data/mnist, predicted = argmax",
              f"{len(java_labels)} rows, {int(np.sum(java_labels != labels))} labels differ, "
              f"{int(np.sum(java_predicted != java_probabilities.argmax(axis=1)))} predicted != argmax",
              len(java_labels) == 10000 and np.array_equal(java_labels, labels)
              and np.array_equal(java_predicted, java_probabilities.argmax(axis=1)))
    check_loaders(table, export, java_probabilities, java_predicted, labels, trained)


if __name__ == "__main__":
    sys.exit(main())
