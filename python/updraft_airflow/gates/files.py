"""File rules (exists, not empty, sha256, sha256 listed in a sums file), sums files and path templates."""

from __future__ import annotations

import re
from typing import Any

from .values import format_number, kind_of, quote, rule_result, show_actual, show_value

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def _bytes(n: int) -> str:
    return "1 byte" if n == 1 else "%s bytes" % format_number(n)


def _not_a_file(label: str, path: str, facts: dict[str, Any] | None) -> str | None:
    """Why the path is not a readable regular file, or None when it is one."""
    subject = "%s %s" % (label, quote(path))
    kind = facts.get("kind") if facts else None
    if kind == "file":
        return None
    problems = {
        "missing": subject + " does not exist",
        "directory": subject + " is a directory, expected a regular file",
        "other": subject + " is not a regular file",
        "unreadable": subject + " cannot be read",
    }
    return problems.get(str(kind), subject + " was not examined")


def _listed_hash(path: str, sums_path: str, facts: dict[str, Any] | None) -> tuple[str | None, str | None]:
    problem = _not_a_file("sums file", sums_path, facts)
    if problem or facts is None:
        return None, problem
    shown, name = quote(sums_path), base_name(path)
    if "sums" not in facts:
        return None, "sums file %s was not read" % shown
    if facts["sums"] is None:
        return None, "sums file %s is not valid UTF-8" % shown
    hashes = sorted({e["sha256"] for e in facts["sums"] if base_name(e["name"]) == name})
    if not hashes:
        return None, "sums file %s has no entry for %s" % (shown, quote(name))
    if len(hashes) > 1:
        return None, "sums file %s lists %s with different hashes" % (shown, quote(name))
    return hashes[0], None


def _recorded_problem(metric: str, shown: str, recorded: Any) -> dict[str, Any] | None:
    """Why a sha256-metric rule's metric holds no usable hash (recorded: [value] or None), or None."""
    expected = "expected the sha256 of %s (64 hex digits)" % shown
    if recorded is None:
        return rule_result(False, None, "metric %s is missing, %s" % (metric, expected))
    v = recorded[0]
    if isinstance(v, str) and _HEX64.fullmatch(v):
        return None
    return rule_result(False, None, "metric %s is %s, %s" % (metric, show_actual(v, kind_of(v) != "string"), expected))


def check_file(
    rule: dict[str, Any],
    path: str,
    sums_path: str | None,
    files: dict[str, dict[str, Any]],
    recorded: list[Any] | None = None,
) -> dict[str, Any]:
    """One file rule judged on the facts gathered about the files (see evaluate.examine); recorded
    is [the value of a sha256-metric rule's metric], or None when the metric is missing."""
    op, shown = rule["op"], quote(path)
    if op == "sha256" and not _HEX64.fullmatch(rule["value"]):
        reason = "the expected sha256 of %s, %s, is not 64 hex digits" % (shown, quote(rule["value"]))
        return rule_result(False, None, reason)
    if op == "sha256-metric":
        unusable = _recorded_problem(rule["metric"], shown, recorded)
        if unusable:
            return unusable
    facts = files.get(path)
    problem = _not_a_file("file", path, facts)
    if problem or facts is None:
        return rule_result(False, None, problem or "")
    size = facts["size"]
    if op == "file-exists":
        return rule_result(True, size, "file %s exists (%s)" % (shown, _bytes(size)))
    if op == "file-not-empty":
        if size > 0:
            return rule_result(True, size, "file %s has %s, expected not empty" % (shown, _bytes(size)))
        return rule_result(False, 0, "file %s is empty, expected not empty" % shown)
    if "sha256" not in facts:
        return rule_result(False, None, "file %s was not hashed" % shown)
    h = facts["sha256"]
    if op == "sha256":
        want = rule["value"].lower()
        if h == want:
            return rule_result(True, h, "sha256 of %s is %s, as expected" % (shown, h))
        return rule_result(False, h, "sha256 of %s is %s, expected %s" % (shown, h, want))
    if op == "sha256-metric":
        want, where = str((recorded or [""])[0]).lower(), "as recorded in metric " + rule["metric"]
        if h == want:
            return rule_result(True, h, "sha256 of %s is %s, %s" % (shown, h, where))
        return rule_result(False, h, "sha256 of %s is %s, expected %s %s" % (shown, h, want, where))
    listed, problem = _listed_hash(path, sums_path or "", files.get(sums_path or ""))
    if problem:
        return rule_result(False, h, problem)
    where = quote(sums_path or "")
    if h == listed:
        return rule_result(True, h, "sha256 of %s is %s, as listed in %s" % (shown, h, where))
    return rule_result(False, h, "sha256 of %s is %s, expected %s as listed in %s" % (shown, h, listed, where))


def show_template(template: list[Any]) -> str:
    """A template as text, parameters written ${name}."""
    return "".join(p if isinstance(p, str) else "${%s}" % p["param"] for p in template)


def _param_text(v: Any) -> str:
    return show_value(v) if isinstance(v, (bool, int, float)) else str(v)


def try_resolve(template: list[Any], values: dict[str, Any]) -> tuple[str | None, str | None]:
    """(path, None), or (None, reason) when a parameter has no value."""
    for p in template:
        if not isinstance(p, str) and p["param"] not in values:
            shown, name = quote(show_template(template)), quote(p["param"])
            return None, "%s cannot be resolved (no value for parameter %s)" % (shown, name)
    return "".join(p if isinstance(p, str) else _param_text(values[p["param"]]) for p in template), None


def base_name(path: str) -> str:
    return path[path.rfind("/") + 1 :]


def parse_sums(text: str) -> list[dict[str, str]]:
    """The entries of a sha256sum file (`HASH  name` or `HASH *name`; escaped names unescaped)."""
    entries = []
    for line in text.split("\n"):
        line = line[:-1] if line.endswith("\r") else line
        escaped = line.startswith("\\")
        body = line[1:] if escaped else line
        h, sep, name = body[:64], body[64:66], body[66:]
        if not _HEX64.fullmatch(h) or sep not in ("  ", " *") or not name:
            continue
        if escaped:
            name = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), name, flags=re.S)
        entries.append({"name": name, "sha256": h.lower()})
    return entries
