"""Declared inputs and outputs checked as `updraft run` checks them: a file, a directory (walked as a tree:
a FIFO, device or socket anywhere inside is refused), or a glob pattern (the files it matches; none
matched is missing). A declared path that is a symbolic link is followed (a dangling one is missing);
links inside a directory are not followed, as the local run hashes them by their target text. Nothing
that is not a regular file is ever opened."""

from __future__ import annotations

import glob
import os
import stat
import sys
from typing import Any

# A glob in the Plan is what tinyglobby (the local run) calls dynamic; Python's glob has no {a,b}.
_MAGIC = set("*?[")


def is_glob(declared: str) -> bool:
    """Whether a declared path is a glob pattern, e.g. is_glob("data/*.csv") is True."""
    return any(c in _MAGIC for c in declared)


def glob_matches(base: str, declared: str) -> list[str]:
    """The paths a glob matches under `base` (dot files too, as the local run matches them), sorted."""
    extra: dict[str, Any] = {"include_hidden": True} if sys.version_info >= (3, 11) else {}
    pattern = os.path.join(base, declared)
    return sorted(p for p in glob.glob(pattern, recursive=True, **extra) if not os.path.isdir(p))


def special_kind(mode: int) -> str | None:
    """What a non-regular file is, in the local run's words; None for a regular file or directory."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _tree_problem(top: str) -> tuple[str, str] | None:
    """The first FIFO, device or socket inside a directory (links are not followed), as (path, kind)."""
    for here, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(here, name)
            info = os.lstat(full)
            kind = None if stat.S_ISLNK(info.st_mode) else special_kind(info.st_mode)
            if kind is not None:
                return full, kind
    return None


def path_problem(base: str, declared: str) -> tuple[str, str] | None:
    """What is wrong with a declared path relative to `base`: ("missing", path) or (kind, path) of a
    non-regular file found at it or inside it; None when it is fine."""
    found = glob_matches(base, declared) if is_glob(declared) else [os.path.join(base, declared)]
    if not found:
        return "missing", os.path.join(base, declared)
    for path in found:
        try:
            info = os.stat(path)
        except OSError:
            return "missing", path
        kind = special_kind(info.st_mode)
        if kind is not None:
            return kind, path
        if stat.S_ISDIR(info.st_mode):
            inner = _tree_problem(path)
            if inner is not None:
                return inner[1], inner[0]
    return None


def output_problem(base: str, declared: str) -> str | None:
    """The local run's reason for a declared output after a successful exit, or None when it is there:
    "missing output: out/*.csv", "missing output: pipe.out (a FIFO (named pipe), not a regular file or
    directory)"."""
    problem = path_problem(base, declared)
    if problem is None:
        return None
    if problem[0] == "missing":
        return "missing output: %s" % declared
    return "missing output: %s (%s, not a regular file or directory)" % (declared, problem[0])


def input_problem(stage_id: str, base: str, declared: str) -> str | None:
    """The reason a stage cannot start on a declared input, naming the stage and the path; None when fine."""
    problem = path_problem(base, declared)
    if problem is None:
        return None
    if problem[0] == "missing":
        return 'stage "%s": input %s does not exist (looked for %s)' % (stage_id, declared, problem[1])
    return 'stage "%s": input %s: %s is %s, not a regular file or directory; updraft never reads it' % (
        stage_id,
        declared,
        problem[1],
        problem[0],
    )
