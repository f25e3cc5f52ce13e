#!/usr/bin/env bash
# The Python package (python/updraft_airflow) checked as code: ruff (lint and format), mypy --strict and
# pytest, from a venv made from python/requirements-dev.txt and cached under $UPDRAFT_PYTHON_VENVS
# (default ~/.cache/updraft/python-venvs), keyed by the lock file's hash like the Airflow venvs.
#
#   bash test/python/run.sh        # last line: "python: ok" or "python: FAILED"
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lock="$root/python/requirements-dev.txt"
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
venv="${UPDRAFT_PYTHON_VENVS:-$HOME/.cache/updraft/python-venvs}/dev-$(sha256sum "$lock" | cut -c1-12)"
if [[ ! -f $venv/.complete ]]; then
  rm -rf "$venv" && mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check -r "$lock" >&2 || {
    echo "python: FAILED (cannot install $lock)"
    exit 1
  }
  touch "$venv/.complete"
fi
cd "$root/python" || exit 1
status=0
"$venv/bin/ruff" check . || status=1
"$venv/bin/ruff" format --check . || status=1
"$venv/bin/mypy" || status=1
"$venv/bin/pytest" -q -p no:cacheprovider || status=1
[[ $status -eq 0 ]] && echo "python: ok" || echo "python: FAILED"
exit $status
