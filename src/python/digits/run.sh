#!/usr/bin/env sh
# Runs one of this folder's Python scripts with the project's venv (made or reused by src/python/venv.sh).
#
#   src/python/digits/run.sh make_digit_sets.py --out target/digits
#
# Where pip cannot install the venv's packages, venv.sh says "skipped: ..." and this exits 0.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ] || [ ! -f "$here/${1:-}" ] || [ "${1%.py}" = "$1" ]; then
  echo "usage: $0 SCRIPT.py [ARGS...] (a script of $here)" >&2
  exit 2
fi
script=$1
shift
python=$("$here/../venv.sh")
status=$?
if [ "$status" -eq 3 ]; then
  exit 0
fi
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
exec "$python" -B "$here/$script" "$@"
