"""GPU leases on the worker. Airflow pools count GPUs but never choose one, so a task picks its devices
the way `updraft run` does: one lock file per GPU in the machine-wide lease directory the local executor
uses (same file names and holder format), so Airflow tasks and local runs on one machine never share a
device. Standard library only."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from typing import Any

from .gates.values import now_iso
from .process import group_alive, marked_processes

Holder = dict[str, Any]


class NoGpu(Exception):
    """The worker cannot give the stage the GPUs it needs."""


CHOOSE = (
    "set UPDRAFT_GPUS=N to lease N devices here, CUDA_VISIBLE_DEVICES to pin devices, or UPDRAFT_GPU_LEASE=pool"
    " to let the Airflow pool be the lease (devices untouched)"
)


def pool_only() -> bool:
    """Whether the worker says the Airflow pool is the only GPU lease (UPDRAFT_GPU_LEASE=pool): no lock files,
    no device choice, CUDA_VISIBLE_DEVICES left as the worker sets it."""
    mode = os.environ.get("UPDRAFT_GPU_LEASE", "")
    if mode not in ("", "devices", "pool"):
        raise NoGpu(
            "UPDRAFT_GPU_LEASE is %r: use pool (the Airflow pool is the lease; devices untouched) or devices"
            " (the default: lease devices through the lock files, as updraft run does)" % mode
        )
    return mode == "pool"


def lock_dir() -> str:
    return os.environ.get("UPDRAFT_LOCK_DIR") or os.path.join(tempfile.gettempdir(), "updraft-gpu-leases")


def gpu_count() -> int:
    """GPUs this worker offers: UPDRAFT_GPUS, else what nvidia-smi -L lists (as updraft run counts)."""
    text = os.environ.get("UPDRAFT_GPUS", "")
    if text != "":
        if not text.strip().isdigit():
            raise NoGpu("UPDRAFT_GPUS is %r, not a number of GPUs" % text)
        return int(text)
    try:
        out = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    return sum(1 for line in out.splitlines() if re.match(r"GPU \d+:", line))


def _stat(pid: int) -> list[str] | None:
    try:
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split(" ")


def _alive(pid: Any, start: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    stat = _stat(pid)
    if stat is None:
        return True
    return stat[0] not in ("Z", "X") and (start is None or stat[19] == start)


def _holder_alive(holder: Holder) -> bool:
    if holder.get("host") != socket.gethostname():
        return True  # another machine's lease cannot be checked from here
    child = holder.get("childPid")
    if _alive(holder.get("pid"), holder.get("pidStart")) or (isinstance(child, int) and group_alive(child)):
        return True
    # A task process killed before it named the stage's process: the stage is found by its marker variables.
    return bool(
        marked_processes({"UPDRAFT_RUN_ID": str(holder.get("runId")), "UPDRAFT_STAGE": str(holder.get("stage"))})
    )


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def _take(directory: str, mine: Holder) -> Holder | None:
    """Take one GPU's lock file: None on success, else its live holder."""
    path = os.path.join(directory, "gpu-%d.lock" % mine["gpu"])
    for _ in range(3):
        tmp = os.path.join(directory, ".gpu-%d.lock.%d.%s" % (mine["gpu"], os.getpid(), os.urandom(4).hex()))
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(json.dumps(mine))
        try:
            os.link(tmp, path)
            return None
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        text = _read(path)
        if text is None:
            continue
        try:
            holder = json.loads(text)
        except ValueError:
            holder = None
        if isinstance(holder, dict) and _holder_alive(holder):
            return holder
        _reclaim(path, text)
    return {"gpu": mine["gpu"], "runId": "(unknown)", "stage": "(unknown)"}


def _reclaim(path: str, stale: str) -> None:
    mutex = path + ".reclaim"
    try:
        os.close(os.open(mutex, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        try:
            if time.time() - os.stat(mutex).st_mtime > 10:
                os.unlink(mutex)
        except OSError:
            pass
        return
    try:
        if _read(path) == stale:
            os.unlink(path)
    finally:
        os.unlink(mutex)


def _mine(directory: str, holder: Holder) -> bool:
    text = _read(os.path.join(directory, "gpu-%d.lock" % holder["gpu"]))
    try:
        found = json.loads(text) if text else None
    except ValueError:
        return False
    return isinstance(found, dict) and all(found.get(k) == holder[k] for k in ("pid", "runId", "stage", "since"))


def release_gpus(lease: list[Holder]) -> None:
    for holder in lease:
        if _mine(lock_dir(), holder):
            try:
                os.unlink(os.path.join(lock_dir(), "gpu-%d.lock" % holder["gpu"]))
            except OSError:
                pass


def set_lease_child(lease: list[Holder], pid: int) -> None:
    """Record the stage's process, so the lease outlives a crashed task process while it runs."""
    for holder in lease:
        if _mine(lock_dir(), holder):
            holder["childPid"] = pid
            path = os.path.join(lock_dir(), "gpu-%d.lock" % holder["gpu"])
            with open(path + ".%d.tmp" % os.getpid(), "w", encoding="utf-8") as f:
                f.write(json.dumps(holder))
            os.replace(path + ".%d.tmp" % os.getpid(), path)


def _lease_dir() -> str:
    directory = lock_dir()
    if not os.path.isdir(directory):
        os.makedirs(directory, exist_ok=True)
        try:
            os.chmod(directory, 0o1777)  # shared by every user's runs, like /tmp
        except OSError:
            pass
    return directory


def lease_gpus(n: int, run_id: str, stage_id: str, on_wait: Callable[[str], None]) -> list[Holder]:
    """Take n GPUs all at once (never some while waiting for others), waiting while they are held."""
    count = gpu_count()
    if count < n:
        raise NoGpu("the stage needs %d GPU(s) and this worker has %d: %s" % (n, count, CHOOSE))
    directory = _lease_dir()
    stat = _stat(os.getpid())
    shown = None
    while True:
        taken: list[Holder] = []
        holders: list[Holder] = []
        for gpu in range(count):
            if len(taken) == n:
                break
            mine = {"gpu": gpu, "pid": os.getpid(), "pidStart": stat[19] if stat else None}
            mine.update(host=socket.gethostname(), runId=run_id, stage=stage_id, since=now_iso(), childPid=None)
            holder = _take(directory, mine)
            if holder is None:
                taken.append(mine)
            else:
                holders.append(holder)
        if len(taken) == n:
            return taken
        release_gpus(taken)
        key = sorted("%s:%s:%s" % (h.get("gpu"), h.get("runId"), h.get("stage")) for h in holders)
        if key != shown:
            on_wait(", ".join("GPU %s held by %s/%s" % (h.get("gpu"), h.get("runId"), h.get("stage")) for h in holders))
            shown = key
        time.sleep(0.5)
