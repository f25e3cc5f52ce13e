#!/usr/bin/env bash
# The SLURM exporter proven on a real Slurm 22.05 cluster: start one on this host (slurmctld, two
# slurmd nodes with fake GPUs, see cluster.sh), export the conformance fixtures
# (test/airflow/pipelines/) with `updraft export slurm`, submit every case with its submit.sh and
# check the outcomes shared with `updraft run` and Airflow (check.py); then the Slurm-only GPU
# checks (gpus.py). Stops the cluster at the end.
#
#   bash test/slurm/run.sh                      # everything
#   UPDRAFT_CASES=retry,gate bash test/slurm/run.sh
#
# Needs Debian's slurmctld, slurmd, slurm-client and munge (.ci/run installs them) and root (mknod,
# daemons). Last line: "slurm: N passed, M failed"; the work dir is kept when something failed,
# or with KEEP_WORK=1.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/updraft-slurm.XXXXXX")
started=$SECONDS
passed=0
failed=0

count() {
  local line
  line=$(tail -n 1 "$1")
  if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
  else
    echo "no result line in $1" >&2; failed=$((failed + 1))
  fi
}

export SLURM_CONF=$work/cluster/slurm.conf
trap 'bash "$here/cluster.sh" stop "$work/cluster"' EXIT
if bash "$here/cluster.sh" start "$work/cluster"; then
  echo "slurm cluster up in $((SECONDS - started))s: $(sinfo -h -N -o '%N:%G' | tr '\n' ' ')" >&2
  (cd "$root" && node --import tsx "$root/test/airflow/prepare.ts" "$work" --slurm) || failed=$((failed + 1))
  (cd "$work" && python3 "$here/check.py" "$work") | tee "$work/result.txt"
  count "$work/result.txt"
  if [[ -z ${UPDRAFT_CASES:-} ]]; then
    (cd "$root" && python3 "$here/gpus.py" "$work/gpus") | tee "$work/gpus-result.txt"
    count "$work/gpus-result.txt"
  fi
else
  failed=$((failed + 1))
fi
if [[ $failed -eq 0 && ${KEEP_WORK:-} != 1 ]]; then
  bash "$here/cluster.sh" stop "$work/cluster"
  trap - EXIT
  rm -rf "$work"
  echo "total $((SECONDS - started))s" >&2
else
  echo "work dir: $work (kept for inspection; total $((SECONDS - started))s)" >&2
fi
echo "slurm: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
