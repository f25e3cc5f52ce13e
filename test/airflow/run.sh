#!/usr/bin/env bash
# The exporter proven in a real Airflow: export the fixture pipelines (test/airflow/pipelines/),
# run each with `airflow dags test` on Airflow 3.x and 2.10.5, and assert every outcome from
# Airflow's own records; then run the same cases with `updraft run` (one suite, two executors).
#
#   bash test/airflow/run.sh                 # both Airflow versions, then the local executor
#   AIRFLOW_VERSIONS="3" UPDRAFT_CASES=retry,gate bash test/airflow/run.sh   # one Airflow, some cases
#   SKIP_LOCAL=1 bash test/airflow/run.sh    # Airflow only; AIRFLOW_VERSIONS="" for updraft run only
#   EXPORT_MODE=package bash test/airflow/run.sh   # package mode: a wheel of python/ is built and installed,
#                                             # the DAGs are plan JSON + `UpdraftDag` (and a team DAG with
#                                             # `UpdraftTaskGroup`); default EXPORT_MODE=self-contained
#
# Needs python3.11 (venv, pip) and the network to PyPI the first time. Each Airflow is installed
# from its committed lock file into a venv under $UPDRAFT_AIRFLOW_VENVS (default
# ~/.cache/updraft/airflow-venvs), keyed by the lock file's hash and reused while it matches (a venv,
# not pip's cache: downloads from the registry here are not kept in pip's HTTP cache).
# Everything else is hermetic: AIRFLOW_HOME in a temp dir, SQLite, no example DAGs.
# Last line: "airflow: N passed, M failed"; the exit code is non-zero on any failure. The work dir
# (DAGs, projects, Airflow homes, logs) is kept when something failed, or with KEEP_WORK=1.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venvs=${UPDRAFT_AIRFLOW_VENVS:-$HOME/.cache/updraft/airflow-venvs}
versions=${AIRFLOW_VERSIONS-"3 2.10"}
mode=${EXPORT_MODE:-self-contained}
[[ $mode == self-contained || $mode == package ]] || { echo "EXPORT_MODE is $mode: use self-contained or package"; exit 2; }
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
work=$(mktemp -d "${TMPDIR:-/tmp}/updraft-airflow.XXXXXX")
passed=0
failed=0
started=$SECONDS

note() { printf '%s\n' "$*" >&2; }
count() { # add the "N passed, M failed" of a checker's last line
  local line
  line=$(tail -n 1 "$1")
  if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
  else
    note "no result line in $1"; failed=$((failed + 1))
  fi
}

# A venv with exactly the lock file's packages; made once, reused while the lock is unchanged.
venv_for() {
  local version=$1 lock="$here/requirements-airflow-$1.txt" hash dir
  hash=$(sha256sum "$lock" | cut -c1-12)
  dir="$venvs/airflow-$version-$hash"
  if [[ ! -f $dir/.complete ]]; then
    note "installing Airflow $version into $dir (from $(basename "$lock"))"
    rm -rf "$dir" && mkdir -p "$venvs" || return 1
    "$python" -m venv "$dir" && "$dir/bin/pip" install -q --disable-pip-version-check -r "$lock" >&2 || return 1
    touch "$dir/.complete"
  fi
  printf '%s\n' "$dir"
}

# Package mode: a wheel of python/ built from a copy (no build files in the repository), installed into
# its own directory on PYTHONPATH, so the cached Airflow venv stays exactly its lock file.
install_package() {
  local dir=$1 out=$2 src="$2/package-src"
  cp -r "$root/python" "$src" && rm -rf "$src/tests" &&
    "$dir/bin/pip" wheel -q --disable-pip-version-check --no-deps -w "$out/wheel" "$src" >&2 &&
    "$dir/bin/pip" install -q --disable-pip-version-check --no-deps --target "$out/site" "$out"/wheel/updraft_airflow-*.whl >&2 ||
    return 1
  export PYTHONPATH=$out/site
}

run_airflow() {
  local version=$1 dir out home
  local_t=$SECONDS
  dir=$(venv_for "$version") || { note "airflow $version: install failed"; failed=$((failed + 1)); return; }
  out="$work/airflow-$version"
  home="$out/home"
  mkdir -p "$home" "$out/logs"
  export AIRFLOW_HOME=$home AIRFLOW__CORE__LOAD_EXAMPLES=False AIRFLOW__CORE__DAGS_FOLDER=$out/dags \
    AIRFLOW__CORE__UNIT_TEST_MODE=False AIRFLOW__LOGGING__LOGGING_LEVEL=INFO
  local flags=()
  if [[ $mode == package ]]; then
    install_package "$dir" "$out" || { note "airflow $version: cannot build or install the package"; failed=$((failed + 1)); return; }
    flags=(--package)
  fi
  (cd "$root" && node --import tsx "$here/prepare.ts" "$out" "${flags[@]}") || { failed=$((failed + 1)); return; }
  [[ $mode == self-contained ]] || cp "$here/team_nightly.py" "$out/dags/"
  {
    "$dir/bin/airflow" db migrate &&
      for pools in "$out"/dags/*.pools.json; do "$dir/bin/airflow" pools import "$pools" || exit 1; done &&
      { [[ $version == 2.* ]] || "$dir/bin/airflow" dags reserialize; }
  } >"$out/logs/setup.log" 2>&1 || { note "airflow $version: setup failed, see $out/logs/setup.log"; tail -n 30 "$out/logs/setup.log" >&2; failed=$((failed + 1)); return; }
  local label
  label="airflow-$("$dir/bin/python" -c 'import airflow; print(airflow.__version__)')"
  [[ $mode == self-contained ]] || label="$label-$mode"
  (cd "$out" && "$dir/bin/python" "$here/check.py" airflow "$out" "$label") | tee "$out/result.txt"
  count "$out/result.txt"
  note "$label: $((SECONDS - local_t))s"
  unset PYTHONPATH AIRFLOW_HOME AIRFLOW__CORE__LOAD_EXAMPLES AIRFLOW__CORE__DAGS_FOLDER AIRFLOW__CORE__UNIT_TEST_MODE AIRFLOW__LOGGING__LOGGING_LEVEL
}

run_local() {
  local out="$work/local" local_t=$SECONDS
  mkdir -p "$out/logs"
  (cd "$root" && node --import tsx "$here/prepare.ts" "$out" --no-export) || { failed=$((failed + 1)); return; }
  python3 "$here/check.py" local "$out" "updraft-run" | tee "$out/result.txt"
  count "$out/result.txt"
  note "updraft run: $((SECONDS - local_t))s"
}

for version in $versions; do run_airflow "$version"; done
[[ ${SKIP_LOCAL:-} == 1 ]] || run_local
if [[ $failed -eq 0 && ${KEEP_WORK:-} != 1 ]]; then
  rm -rf "$work"
  note "total $((SECONDS - started))s"
else
  note "work dir: $work (kept for inspection; total $((SECONDS - started))s)"
fi
echo "airflow: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
