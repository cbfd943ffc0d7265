#!/usr/bin/env sh
# Makes (or reuses) the virtualenv of the opt-in Python checks, with this machine's pip and its configured
# package index. Prints the venv's python on standard output.
#
#   python=$(src/python/venv.sh) || exit   # exit 3: pip cannot install the packages here (the caller skips)
#
# The venv lives in $MNIST_TF_JAVA_VENV, or target/python-venv (about 3 GB); it is made once and reused while
# requirements.txt is unchanged.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${MNIST_TF_JAVA_VENV:-$root/target/python-venv}
stamp="$venv/.requirements"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$here/requirements.txt" "$stamp"; then
  echo "$venv/bin/python"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "skipped: no python3 on this machine" >&2
  exit 3
fi
echo "making the Python venv $venv (once; about 3 GB)..." >&2
python3 -m venv "$venv" >&2 || { echo "skipped: python3 cannot make a venv here" >&2; exit 3; }
# --retries 0: where a configured index is out of reach, pip moves on to the next one at once.
if ! "$venv/bin/pip" install --disable-pip-version-check --retries 0 --timeout 15 -q \
    -r "$here/requirements.txt" >"$venv/pip.log" 2>&1; then
  echo "skipped: pip cannot install the packages of src/python/requirements.txt here (see $venv/pip.log)" >&2
  exit 3
fi
cp "$here/requirements.txt" "$stamp"
echo "$venv/bin/python"
