"""The declared outputs of a stage that succeeded, as `updraft run` records them in its manifest: the path
(relative to the project, else absolute), its size and its SHA-256. A directory is hashed as updraft run
hashes one (each file's hash and relative path in byte order, a link by its target), so `updraft show`
traces an input to the stage that wrote it whichever executor ran it. Standard library only: the SLURM
export embeds this module too."""

from __future__ import annotations

import hashlib
import os
import stat
from typing import Any

CHUNK = 1 << 20


def _file_sha256(path: bytes) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree(root: bytes) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0

    def walk(rel: bytes | None) -> None:
        nonlocal size
        here = root if rel is None else root + b"/" + rel
        for name in sorted(os.listdir(here)):
            child = name if rel is None else rel + b"/" + name
            full = root + b"/" + child
            info = os.lstat(full)
            if stat.S_ISLNK(info.st_mode):  # recorded by its target, never followed
                digest.update(b"link " + os.readlink(full) + b"  " + child + b"\n")
            elif stat.S_ISDIR(info.st_mode):
                walk(child)
            else:
                try:
                    target = os.stat(full)
                except FileNotFoundError:
                    continue
                if not stat.S_ISREG(target.st_mode):
                    raise ValueError("%s is not a regular file or directory" % os.fsdecode(full))
                size += target.st_size
                digest.update(_file_sha256(full).encode() + b"  " + child + b"\n")

    walk(None)
    return size, digest.hexdigest()


def content_hash(path: str) -> tuple[int, str] | None:
    """(size, sha256) of a file or directory tree, or None when it does not exist or is neither."""
    raw = os.fsencode(path)
    try:
        info = os.stat(raw)
        if stat.S_ISDIR(info.st_mode):
            return _tree(raw)
        if stat.S_ISREG(info.st_mode):
            return info.st_size, _file_sha256(raw)
    except (OSError, ValueError):
        return None
    return None


def output_records(project_dir: str, cwd: str, outputs: list[str]) -> list[dict[str, Any]]:
    """The records of the outputs (paths as resolved, relative to `cwd`) that exist, in declared order."""
    records = []
    for declared in outputs:
        absolute = os.path.normpath(os.path.join(cwd, declared))
        found = content_hash(absolute)
        if found is None:
            continue
        rel = os.path.relpath(absolute, project_dir)
        shown = "." if rel == "." else absolute if rel.startswith("..") else rel
        records.append({"path": shown, "size": found[0], "sha256": found[1]})
    return records
