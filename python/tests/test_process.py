"""A stage's processes: one that leaves the process group (setsid) is found by the marker variables it
inherits and stopped with the group, as `updraft run` stops it."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from updraft_airflow import process
from updraft_airflow.process import escaped, kill_group


def alive(pid: int) -> bool:
    try:
        with open("/proc/%d/stat" % pid, encoding="utf-8") as f:
            return f.read().split(") ")[1][0] not in "ZX"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="marker variables are read from /proc (Linux)")
def test_a_child_that_escapes_the_group_is_stopped_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a stage whose child moves to a session of its own
    monkeypatch.setattr(process, "GRACE_SECONDS", 1)
    pid_file = tmp_path / "pid"
    env = dict(os.environ, UPDRAFT_RUN_ID="airflow-p-r1", UPDRAFT_STAGE="s", UPDRAFT_ATTEMPT="1")
    script = "setsid -f bash -c 'echo $$ > %s; exec sleep 300'; sleep 300" % pid_file
    proc = subprocess.Popen(["bash", "-c", script], env=env, start_new_session=True)
    proc.updraft_marker = {k: env[k] for k in ("UPDRAFT_RUN_ID", "UPDRAFT_STAGE", "UPDRAFT_ATTEMPT")}  # type: ignore[attr-defined]
    deadline = time.monotonic() + 10
    while not (pid_file.exists() and pid_file.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(pid_file.read_text())
    # WHEN the stage is stopped THEN the escaped child was found and is gone
    assert child in escaped(proc)
    kill_group(proc)
    time.sleep(0.3)
    assert not alive(child)


# A task process: starts a stage (its own session, plus a child that leaves it), guards it, says the pids.
TASK = """
import os, subprocess, sys, time
from updraft_airflow import process
process.GRACE_SECONDS = 1
env = dict(os.environ, UPDRAFT_RUN_ID="airflow-p-g", UPDRAFT_STAGE="s", UPDRAFT_ATTEMPT="1")
script = "setsid -f bash -c 'exec sleep 300' & exec sleep 300"
proc = subprocess.Popen(["bash", "-c", script], env=env, start_new_session=True)
proc.updraft_marker = {k: env[k] for k in ("UPDRAFT_RUN_ID", "UPDRAFT_STAGE", "UPDRAFT_ATTEMPT")}
released = process.guard(proc, lambda: open(sys.argv[1], "w").write("orphaned"))
if sys.argv[2] == "release":
    proc.kill(); proc.wait(); released()
print(proc.pid, flush=True)
time.sleep(300)
"""


def start_task(tmp_path: Path, how: str) -> tuple[subprocess.Popen[str], int]:
    task = subprocess.Popen(
        ["python3", "-c", TASK, str(tmp_path / "orphaned"), how],
        cwd=Path(__file__).parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert task.stdout is not None
    return task, int(task.stdout.readline())


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="marker variables are read from /proc (Linux)")
def test_the_guard_stops_the_stage_when_the_task_process_is_killed(tmp_path: Path) -> None:
    # GIVEN a task process running a guarded stage whose child left its session
    task, stage = start_task(tmp_path, "keep")
    time.sleep(0.5)
    marked = [pid for pid, _ in process.marked_processes({"UPDRAFT_RUN_ID": "airflow-p-g"})]
    assert stage in marked and len(marked) == 2
    # WHEN the task process is killed with SIGKILL
    task.kill()
    task.wait()
    # THEN the guard stops every process of the stage and reports the orphaned stage
    deadline = time.monotonic() + 15
    while any(alive(p) for p in marked) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in marked)
    while not (tmp_path / "orphaned").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (tmp_path / "orphaned").read_text() == "orphaned"


def test_a_released_guard_ends_and_does_nothing(tmp_path: Path) -> None:
    # GIVEN a guarded stage that ended and whose guard was released
    task, _ = start_task(tmp_path, "release")
    # WHEN the task process dies afterwards
    task.kill()
    task.wait()
    time.sleep(1.5)
    # THEN the guard (waited for by release) did not act
    assert not (tmp_path / "orphaned").exists()
