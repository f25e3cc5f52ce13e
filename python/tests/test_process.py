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
