#!/usr/bin/env sh
# Measures `target/mnist-tf-java train` beside the peer trainers of src/python/peers (opt-in; never part of
# `mvn test`): src/python/peers/README.md says what it runs and how.
#
#   src/python/peers/run.sh [--workload mlp|cnn] [--rounds N] [--only NAME,...]
#
# Needs target/mnist-tf-java (`mvn -q -DskipTests package`) and the venv of src/python/venv.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
if [ ! -x "$root/target/mnist-tf-java" ]; then
  echo "error: target/mnist-tf-java is missing: build it first with \`mvn -q -DskipTests package\`" >&2
  exit 1
fi
status=0
python=$("$root/src/python/venv.sh") || status=$?
if [ "$status" -eq 3 ]; then
  exit 0 # venv.sh said "skipped: ..." and why
elif [ "$status" -ne 0 ]; then
  exit "$status"
fi
exec "$python" -B "$here/run.py" "$@"
