"""A stage's process group: whether it lives, stopping it (SIGTERM, then SIGKILL), copying its output.
Standard library only."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import IO, Any

GRACE_SECONDS = 5


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def kill_group(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM the stage's process group, then SIGKILL whatever is left after the grace period."""
    if proc is None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        proc.poll()  # reaps the leader, so only live members keep the group
        if not group_alive(proc.pid):
            return
        time.sleep(0.05)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def pump(stream: IO[bytes], log: IO[bytes], logger: Any, secrets: list[bytes]) -> None:
    """Copy the process output to the stage log (bytes as they come) and to the task log."""
    for line in iter(stream.readline, b""):
        for secret in secrets:
            line = line.replace(secret, b"***")
        log.write(line)
        logger.info("%s", line.rstrip(b"\r\n").decode("utf-8", "replace"))
