#!/usr/bin/env sh
# The opt-in Python-side check (see README.md beside this file): our export in three Python loaders, our
# TensorBoard logs against Keras', and both notebooks end to end. Prints one table; exit 1 on any mismatch.
#   src/python/check/run.sh [--keep DIR] [--skip-notebooks]
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
python=$("$root/src/python/venv.sh")
status=$?
if [ "$status" -eq 3 ]; then
  echo "skipped: pip cannot install TensorFlow here (see the line above), so the Python check does not run"
  exit 0
fi
[ "$status" -eq 0 ] || exit "$status"
if [ ! -x "$root/target/mnist-tf-java" ] || [ ! -f "$root/target/mnist-tf-java.jar" ]; then
  echo "building the tool first: mvn -q -DskipTests package" >&2
  (cd "$root" && mvn -q -DskipTests package) || {
    echo "error: target/mnist-tf-java: the build failed; run 'mvn -q -DskipTests package' and look at its output" >&2
    exit 1
  }
fi
exec "$python" "$here/check.py" "$@"
