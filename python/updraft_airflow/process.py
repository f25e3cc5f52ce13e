"""A stage's processes: whether they live, stopping them (SIGTERM, then SIGKILL) also when they left the
process group, stopping them when the task process dies first (a guard), copying their output with
secrets masked. Standard library only."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from typing import IO, Any

from .masking import Masker

GRACE_SECONDS = 5


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def marked_processes(marker: dict[str, str]) -> list[tuple[int, int]]:
    """(pid, pgid) of live processes whose environment holds every name=value of marker (Linux; else none)."""
    needles = [("\0%s=%s\0" % item).encode() for item in marker.items()]
    found = []
    for name in os.listdir("/proc") if needles and os.path.isdir("/proc") else []:
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % name, "rb") as f:
                env = b"\0" + f.read() + b"\0"
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if fields[0] not in (b"Z", b"X") and all(n in env for n in needles):
            found.append((int(name), int(fields[2])))
    return found


def escaped(proc: subprocess.Popen[bytes]) -> list[int]:
    """Processes of the stage that left its process group (setsid), found by the marker variables they inherit."""
    marker: dict[str, str] | None = getattr(proc, "updraft_marker", None)
    return [pid for pid, pgid in marked_processes(marker) if pgid != proc.pid] if marker else []


def _signal(pgid: int, outside: list[int], sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass
    for pid in outside:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def signal_stage(proc: subprocess.Popen[bytes], sig: int) -> None:
    """Signal the stage's process group and every process of it that left the group."""
    _signal(proc.pid, escaped(proc), sig)


def kill_group(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM the stage's processes (its group, and any that left it), then SIGKILL what is left after the grace."""
    if proc is None:
        return
    signal_stage(proc, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        proc.poll()  # reaps the leader, so only live members keep the group
        if not group_alive(proc.pid) and not escaped(proc):
            return
        time.sleep(0.05)
    signal_stage(proc, signal.SIGKILL)
    proc.wait()


def _stop_orphans(pgid: int, marker: dict[str, str]) -> None:
    """kill_group for a stage this process did not start: its group and every marked process, by pid."""

    def left() -> list[int]:
        return [pid for pid, _ in marked_processes(marker)]

    _signal(pgid, left(), signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while (group_alive(pgid) or left()) and time.monotonic() < deadline:
        time.sleep(0.05)
    _signal(pgid, left(), signal.SIGKILL)


def guard(proc: subprocess.Popen[bytes], on_orphaned: Callable[[], None]) -> Callable[[], None]:
    """Fork a guard for the stage `proc`; call the returned function once the stage has ended. Should this
    process die first (a task process killed with SIGKILL), the guard stops the stage's processes and calls
    on_orphaned. The guard lives in a session of its own with only its end of a pipe open, so it holds
    none of Airflow's pipes or sockets and a signal to the task's process group does not reach it."""
    marker: dict[str, str] = getattr(proc, "updraft_marker", None) or {}
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare: the stage runs unguarded, as it did before guards
        os.close(read)
        os.close(write)
        return lambda: None
    if pid == 0:  # the guard: standard library calls only, then _exit (no Airflow code runs here)
        try:
            os.setsid()
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, signal.SIG_DFL)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(3, read)
            os.closerange(read + 1, os.sysconf("SC_OPEN_MAX"))
            if os.read(read, 1) == b"":  # end of file without the word: the task process died
                _stop_orphans(proc.pid, marker)
                on_orphaned()
        finally:
            os._exit(0)
    os.close(read)

    def release() -> None:
        try:
            os.write(write, b".")
        finally:
            os.close(write)
            os.waitpid(pid, 0)

    return release


def pump(stream: IO[bytes], log: IO[bytes], logger: Any, masker: Masker) -> None:
    """Copy the process output to the stage log (bytes as they come) and to the task log, secrets masked."""
    pending = b""

    def out(data: bytes, final: bool = False) -> None:
        nonlocal pending
        log.write(data)
        lines = (pending + data).split(b"\n")
        pending = b"" if final else lines.pop()
        for line in lines if not final or lines[-1] else lines[:-1]:
            logger.info("%s", line.rstrip(b"\r").decode("utf-8", "replace"))

    for chunk in iter(lambda: os.read(stream.fileno(), 65536), b""):
        out(masker.push(chunk))
    out(masker.end(), final=True)
