"""Measures `target/mnist-tf-java train` beside its peers in other frameworks; prints one markdown table.

Run through run.sh (it finds the venv's Python and checks that target/mnist-tf-java is built):

    src/python/peers/run.sh [--workload mlp|cnn] [--rounds N] [--only NAME,...] [--limit N]

Every trainer runs as a fresh process, once per round; round r starts at the r-th trainer and goes round
the list, so no trainer always follows the same neighbour. The runner measures each process itself (wall
time from spawn to exit, peak resident memory from the kernel's rusage of the child) and reads the one
JSON line each prints last on standard output. The table shows medians with min - max over the rounds;
every raw result goes to target/peers/results-<workload>.json. Uses only the standard library.
"""

import argparse
import importlib.metadata
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
LAUNCHER = REPO / "target" / "mnist-tf-java"
CNN_EPOCHS = 15
TARGET_ACCURACY = 0.99
# Set on some machines for older OpenBLAS builds; they make a current numpy run slower kernels
# (Haswell's instead of SkylakeX's here). The peers run without them: each records the kernel it used.
OPENBLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
# glibc malloc keeps freed memory instead of returning it to the system at once (blocks up to 32 MiB come from
# the heap, which is trimmed only past 1 GiB free). Page faults are slow on this VM: a PyTorch CNN, which
# allocates and frees megabytes of activations per batch, evaluates 10 000 images 5x faster so. Given to every
# trainer alike (ours is not affected); --default-malloc leaves glibc's defaults.
MALLOC_SETTINGS = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "1073741824"}


@dataclass
class Trainer:
    """One row of the table: how to start the trainer and what to call it."""
    name: str
    label: str  # "{version}" in it stands for the installed version of `package`
    command: list
    package: str = None
    threads: int = None  # None: the trainer's own choice (ours pins itself to one intra-op thread)
    limit_row: bool = False  # a limit, not a trainer: only its samples/s is shown


def peer(script, *args):
    return [sys.executable, "-B", str(HERE / script), *args]


def trainers(workload, tmp, limit, epochs):
    """The trainers of a workload, in the order of the first round."""
    extra = (["--limit", str(limit)] if limit else []) + (["--epochs", str(epochs)] if epochs else [])
    ours = [str(LAUNCHER), "train", "--json", "--runs-dir", str(tmp / "runs"), "--export-dir", str(tmp / "export")]
    if workload == "mlp":
        return [
            Trainer("ours", "this project (`target/mnist-tf-java train`)", ours + extra),
            Trainer("sklearn", "scikit-learn {version} `MLPClassifier` (numpy / OpenBLAS, 1 thread)",
                    peer("peer_sklearn.py", *extra), "scikit-learn", threads=1),
            Trainer("jax", "JAX {version}, jitted train step (2 threads)", peer("peer_jax.py", *extra), "jax",
                    threads=2),
            Trainer("torch", "PyTorch {version} eager, 1 thread", peer("peer_torch.py", *extra), "torch", threads=1),
            Trainer("keras", "the tutorial itself: Keras {version} on TensorFlow " + version("tensorflow")
                    + ", `model.fit`", peer("peer_keras.py", *extra), "keras", threads=2),
            Trainer("keras-xla", "the same with `jit_compile=True` (XLA)",
                    peer("peer_keras.py", "--jit-compile", *extra), threads=2),
            Trainer("gemm-1", "limit: the step's 8 GEMMs alone, numpy {version} (OpenBLAS), 1 thread",
                    peer("gemm_limit.py"), "numpy", threads=1, limit_row=True),
            Trainer("gemm-2", "limit: the same, 2 threads", peer("gemm_limit.py"), threads=2, limit_row=True),
        ]
    cnn = ["--model", "cnn", "--epochs", str(epochs or CNN_EPOCHS)] + (["--limit", str(limit)] if limit else [])
    return [
        Trainer("ours-cnn", "this project (`target/mnist-tf-java train --model cnn`, augmented: its default)",
                ours + cnn + ["--test-each-epoch"]),
        Trainer("ours-cnn-plain", "the same, `--no-augment` (as the peers train)",
                ours + cnn + ["--test-each-epoch", "--no-augment"]),
        Trainer("torch-cnn-1", "PyTorch {version} eager, 1 thread", peer("peer_torch.py", *cnn), "torch",
                threads=1),
        Trainer("torch-cnn-2", "PyTorch {version} eager, 2 threads", peer("peer_torch.py", *cnn), "torch",
                threads=2),
        Trainer("keras-cnn", "Keras {version} on TensorFlow " + version("tensorflow") + ", `model.fit`",
                peer("peer_keras.py", *cnn), "keras", threads=2),
    ]


def version(package):
    """The installed version of a Python package of the venv, for the table's labels."""
    for name in (package, package + "-cpu"):  # tensorflow-cpu installs the tensorflow module
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return "(not installed)"


def child_env(trainer, default_malloc):
    env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_OVERRIDES}
    if not default_malloc:
        env.update(MALLOC_SETTINGS)
    env["TF_CPP_MIN_LOG_LEVEL"] = env.get("TF_CPP_MIN_LOG_LEVEL", "2")
    if trainer.threads:
        for name in ("PEER_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(trainer.threads)
    return env


@dataclass
class Run:
    trainer: str
    round: int
    command: list
    load_before: float
    returncode: int = None
    wall_seconds: float = None
    peak_rss_mib: float = None
    result: dict = None
    error: str = None
    stderr_tail: list = field(default_factory=list)


def run_once(trainer, round_no, tmp, default_malloc, timeout):
    """Runs the trainer once as a fresh process; measures it and reads its result line."""
    out_path, err_path = tmp / f"{trainer.name}-{round_no}.out", tmp / f"{trainer.name}-{round_no}.err"
    run = Run(trainer.name, round_no, trainer.command, os.getloadavg()[0])
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(trainer.command, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    env=child_env(trainer, default_malloc), cwd=REPO)
        except OSError as e:
            run.error = f"cannot start {trainer.command[0]}: {e.strerror}"
            return run
        timed_out = threading.Event()
        watchdog = threading.Timer(timeout, lambda: (timed_out.set(), proc.kill()))
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: stop the trainer too, and reap it
            proc.kill()
            proc.wait()
            raise
        finally:
            watchdog.cancel()
        run.wall_seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
    run.returncode = proc.returncode
    if timed_out.is_set():
        run.error = f"stopped after the {timeout:g} s time limit"
    run.peak_rss_mib = usage.ru_maxrss / 1024  # KiB on Linux
    lines = out_path.read_text(errors="replace").splitlines()
    stderr = [l for l in err_path.read_text(errors="replace").splitlines() if l.strip()]
    run.stderr_tail = stderr[-20:]
    if run.returncode == 0 and lines:
        try:
            run.result = json.loads(lines[-1])
        except json.JSONDecodeError:
            run.error = "its last line of output is not JSON: " + lines[-1][:200]
    if run.result is None and run.error is None:
        errors = [l for l in stderr if l.startswith("error:")]
        run.error = (errors or stderr or [f"exit code {run.returncode}"])[-1].strip()
        if run.returncode:
            run.error = f"exit {run.returncode}: {run.error}"
    return run


def median_range(values, fmt):
    """'median (min - max)', or the one value, or '' when there is none."""
    values = [v for v in values if v is not None]
    if not values:
        return ""
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(statistics.median(values))} ({fmt(min(values))} - {fmt(max(values))})"


def thousands(v):
    return f"{round(v, -2):,.0f}".replace(",", " ")


def seconds(v):
    return f"{v:.2f} s"


def mib(v):
    return f"{v:,.0f}".replace(",", " ")


def accuracy(v):
    return f"{v:.4f}"


def seconds_to_target(result):
    """Wall time since process start at the end of the first epoch whose test accuracy reached the target."""
    for epoch in result.get("epoch_log") or []:
        if epoch.get("test_accuracy") is not None and epoch["test_accuracy"] >= TARGET_ACCURACY:
            return epoch.get("elapsed_s")
    return None


def table(workload, trainers_, runs, cnn_epochs):
    if workload == "mlp":
        head = ["trainer of the tutorial workload (5 epochs, batch 100, per-epoch validation)", "samples/s",
                "whole process", "peak RSS (MiB)", "test acc"]
    else:
        head = [f"trainer of the simple MNIST convnet (batch 100, at most {cnn_epochs} epochs, stops at "
                f"{TARGET_ACCURACY} test acc)", "samples/s", f"time to {TARGET_ACCURACY} test acc",
                "epochs", "whole process", "peak RSS (MiB)", "test acc"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in trainers_:
        mine = [r for r in runs if r.trainer == t.name]
        good = [r for r in mine if r.result]
        label = t.label.format(version=version(t.package)) if t.package else t.label
        if not good:
            cells = [f"not available (`{mine[-1].error}`)" if mine else "not run"] + [""] * (len(head) - 2)
            rows.append("| " + " | ".join([label] + cells) + " |")
            continue
        res = [r.result for r in good]
        sps = median_range([r.get("samples_per_second") for r in res], thousands)
        failed = len(mine) - len(good)
        if failed:
            sps += f" ({failed} of {len(mine)} runs failed: `{[r.error for r in mine if not r.result][-1]}`)"
        if t.limit_row:
            cells = [sps] + [""] * (len(head) - 2)
        elif workload == "mlp":
            cells = [sps, median_range([r.wall_seconds for r in good], seconds),
                     median_range([r.peak_rss_mib for r in good], mib),
                     median_range([r.get("test_accuracy") for r in res], accuracy)]
        else:
            logged = [r for r in res if any("test_accuracy" in e for e in r.get("epoch_log") or [])]
            reached = [seconds_to_target(r) for r in logged]
            if not logged:
                to_target = "no per-epoch test accuracy"
            elif all(v is None for v in reached):
                to_target = f"not reached in {median_range([r.get('epochs_run') for r in logged], str)} epochs"
            else:
                to_target = median_range(reached, seconds)
                if None in reached:
                    to_target += f" ({reached.count(None)} of {len(reached)} runs never reached it)"
            cells = [sps, to_target, median_range([r.get("epochs_run") for r in res], lambda v: f"{v:g}"),
                     median_range([r.wall_seconds for r in good], seconds),
                     median_range([r.peak_rss_mib for r in good], mib),
                     median_range([r.get("test_accuracy") for r in res], accuracy)]
        rows.append("| " + " | ".join([label] + cells) + " |")
    return "\n".join(rows)


def write_results(path, document):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, indent=1) + "\n")
    tmp.replace(path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workload", choices=("mlp", "cnn"), default="mlp")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--only", default="", help="comma-separated trainer names (default: all of the workload)")
    p.add_argument("--limit", type=int, default=0, help="train on the first N training examples only (quick checks)")
    p.add_argument("--epochs", type=int, default=0, help="override the workload's maximum epochs (quick checks)")
    p.add_argument("--timeout", type=float, default=3600, help="seconds after which a trainer is stopped")
    p.add_argument("--default-malloc", action="store_true", help="run every trainer with glibc malloc's defaults")
    args = p.parse_args()
    if args.rounds < 1:
        p.error(f"--rounds must be >= 1, got {args.rounds}")
    if not os.access(LAUNCHER, os.X_OK):
        print(f"error: {LAUNCHER.relative_to(REPO)} is missing: build it first with `mvn -q -DskipTests package`",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="mnist-peers-") as tmp_name:
        tmp = Path(tmp_name)
        all_trainers = trainers(args.workload, tmp, args.limit, args.epochs)
        names = [n for n in args.only.split(",") if n]
        unknown = sorted(set(names) - {t.name for t in all_trainers})
        if unknown:
            p.error(f"--only: unknown trainer(s) {', '.join(unknown)} (one of "
                    f"{', '.join(t.name for t in all_trainers)})")
        chosen = [t for t in all_trainers if not names or t.name in names]
        load_before = os.getloadavg()
        started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        runs = []
        for r in range(args.rounds):
            k = r % len(chosen)
            for t in chosen[k:] + chosen[:k]:
                print(f"round {r + 1}/{args.rounds}: {t.name} ...", end=" ", file=sys.stderr, flush=True)
                run = run_once(t, r + 1, tmp, args.default_malloc, args.timeout)
                runs.append(run)
                shown = (f"{run.result['samples_per_second']:.0f} samples/s" if run.result
                         and run.result.get("samples_per_second") else f"failed: {run.error}")
                print(f"{run.wall_seconds or 0:.1f} s, {shown}", file=sys.stderr, flush=True)
        load_after = os.getloadavg()
    out = REPO / "target" / "peers" / f"results-{args.workload}.json"
    write_results(out, {
        "workload": args.workload, "rounds": args.rounds, "started": started,
        "environment": {"unset": list(OPENBLAS_OVERRIDES), "set": {} if args.default_malloc else MALLOC_SETTINGS},
        "machine": {"cpus": os.cpu_count(), "cpu": cpu_model(), "load_before": load_before,
                    "load_after": load_after},
        "trainers": [t.__dict__ for t in chosen],
        "runs": [r.__dict__ for r in runs],
    })
    print(table(args.workload, chosen, runs, args.epochs or CNN_EPOCHS))
    print()
    print(f"{args.rounds} rotated round(s), medians (min - max); {os.cpu_count()} CPUs ({cpu_model()}); "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min); raw results in "
          f"{out.relative_to(REPO)}")
    return 0


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: no table, no results file", file=sys.stderr)
        sys.exit(130)
