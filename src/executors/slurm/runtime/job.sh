#!/usr/bin/env bash
# One Slurm job of an exported updraft pipeline: hands over to the Python runtime beside submit.sh.
# Slurm runs a copy of this file from its spool directory, so the export directory is the first
# argument. Python 3 (standard library only) must be on every node.
#   job.sh EXPORT_DIR attempt RUN_DIR STAGE N | gate RUN_DIR STAGE | noop
set -eu
dir=$1
shift
exec "${UPDRAFT_PYTHON:-python3}" "$dir/updraft_slurm.py" "$@"
