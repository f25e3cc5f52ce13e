"""evaluate_gate(gate_id, gate, values, cwd) -> GateResult dict: read the gate's files, judge every rule.

NaN and infinities fail every metric rule; metrics files may hold the NaN/Infinity tokens that
json.dump writes; numbers print as JavaScript prints them.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from typing import Any

from .combine import combine, leaf_rules
from .files import check_file, parse_sums, try_resolve
from .metrics import MISSING, check_metric, lookup
from .schema import schema_mismatches
from .values import A_KIND, kind_of, now_iso, quote, rule_result


def _metrics_object(
    gate: dict[str, Any], values: dict[str, Any], metrics: dict[str, Any] | None
) -> tuple[Any, str | None]:
    """(dict, None), or (None, the clause every metric rule fails with)."""
    if gate.get("metrics") is None:
        return None, "the gate names no metrics file"
    path, problem = try_resolve(gate["metrics"], values)
    if problem or path is None:
        return None, "metrics file %s" % problem
    where = "metrics file " + quote(path)
    if metrics is None:
        return None, where + " was not read"
    if "error" in metrics:
        return None, "%s %s" % (where, metrics["error"])
    if not isinstance(metrics["value"], dict):
        return None, "%s holds %s, not a JSON object" % (where, A_KIND[kind_of(metrics["value"])])
    return metrics["value"], None


def _check_rule(
    rule: dict[str, Any],
    values: dict[str, Any],
    metrics_obj: Any,
    metrics_problem: str | None,
    files: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    if rule["op"] in ("any", "all"):
        return combine(rule["op"], [_check_rule(r, values, metrics_obj, metrics_problem, files) for r in rule["rules"]])
    if "metric" in rule:
        if metrics_problem:
            return rule_result(False, None, "%s cannot be checked: %s" % (rule["metric"], metrics_problem))
        if rule["op"] != "sha256-metric":
            return check_metric(rule, metrics_obj, values)
    path, problem = try_resolve(rule["file"], values)
    if problem or path is None:
        return rule_result(False, None, "file %s" % problem)
    sums_path = None
    if rule["op"] == "sha256-listed":
        sums_path, problem = try_resolve(rule["sums"], values)
        if problem:
            return rule_result(False, None, "sums file %s" % problem)
    if rule["op"] == "sha256-metric":
        found = lookup(metrics_obj, rule["metric"])
        return check_file(rule, path, None, files, None if found is MISSING else [found])
    return check_file(rule, path, sums_path, files)


def evaluate(
    gate_id: str,
    gate: dict[str, Any],
    values: dict[str, Any],
    metrics: dict[str, Any] | None,
    files: dict[str, dict[str, Any]],
    time: str,
) -> dict[str, Any]:
    """The pure core: metrics is {"value": v}, {"error": clause} or None; files maps paths to facts."""
    metrics_obj, metrics_problem = _metrics_object(gate, values, metrics)
    rules = [dict({"rule": r}, **_check_rule(r, values, metrics_obj, metrics_problem, files)) for r in gate["rules"]]
    failed = [r for r in rules if not r["passed"]]
    mismatches = None
    schema_reason = None
    if gate.get("schema") is not None and not metrics_problem:
        mismatches = schema_mismatches(gate["schema"], metrics_obj)
        if mismatches:
            where = "metrics file " + quote(try_resolve(gate["metrics"], values)[0] or "")
            schema_reason = "%s does not match the gate's schema: %s" % (where, "; ".join(mismatches))
    n = len(rules)
    if n == 0:
        reason = "the gate has no rules"
    elif schema_reason:
        reason = schema_reason
    else:
        reason = failed[0]["reason"] if failed else ("the only rule passed" if n == 1 else "all %d rules passed" % n)
    verdict = "PASS" if n and not failed and not schema_reason else "FAIL"
    result = {
        "gate": gate_id,
        "verdict": verdict,
        "severity": gate["severity"],
        "rules": rules,
        "reason": reason,
        "time": time,
    }
    if mismatches is not None:
        result["schemaMismatches"] = mismatches
    return result


def parse_metrics_bytes(data: bytes) -> dict[str, Any]:
    """{"value": parsed JSON} or {"error": why not}; integers read as floats, as JavaScript reads them."""
    if not data:
        return {"error": "is empty"}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {"error": "is not valid UTF-8"}
    try:
        return {"value": json.loads(text, parse_int=float)}
    except (ValueError, RecursionError):
        return {"error": "is not valid JSON"}


def _load_metrics(path: str) -> dict[str, Any]:
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            return {"error": "is a directory"}
        if not stat.S_ISREG(mode):
            return {"error": "is not a regular file"}
        with open(path, "rb") as f:
            return parse_metrics_bytes(f.read())
    except (FileNotFoundError, NotADirectoryError):
        return {"error": "does not exist"}
    except OSError:
        return {"error": "cannot be read"}


def examine(path: str, need_hash: bool, need_sums: bool) -> dict[str, Any]:
    """What the file rules need to know about a path: its kind, size, sha256, sums entries."""
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return {"kind": "directory"}
        if not stat.S_ISREG(st.st_mode):
            return {"kind": "other"}
        if not os.access(path, os.R_OK):
            return {"kind": "unreadable"}
        facts: dict[str, Any] = {"kind": "file", "size": st.st_size}
        if need_hash:
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
            facts["sha256"] = digest.hexdigest()
        if need_sums:
            with open(path, "rb") as f:
                data = f.read()
            try:
                facts["sums"] = parse_sums(data.decode("utf-8"))
            except UnicodeDecodeError:
                facts["sums"] = None
        return facts
    except (FileNotFoundError, NotADirectoryError):
        return {"kind": "missing"}
    except OSError:
        return {"kind": "unreadable"}


def _files_needed(gate: dict[str, Any], values: dict[str, Any]) -> dict[str, tuple[bool, bool]]:
    """{resolved path: (hash it, read it as a sums file)} for the gate's file rules."""
    needs: dict[str, tuple[bool, bool]] = {}

    def need(template: list[Any], hashed: bool, sums: bool) -> None:
        path, problem = try_resolve(template, values)
        if not problem and path is not None:
            h, s = needs.get(path, (False, False))
            needs[path] = (h or hashed, s or sums)

    for rule in leaf_rules(gate["rules"]):
        if "file" in rule:
            need(rule["file"], rule["op"] in ("sha256", "sha256-listed", "sha256-metric"), False)
        if "sums" in rule:
            need(rule["sums"], False, True)
    return needs


def evaluate_gate(
    gate_id: str, gate: dict[str, Any], values: dict[str, Any] | None, cwd: str, time: str | None = None
) -> dict[str, Any]:
    """Read the gate's metrics file and files (relative to cwd) and return its GateResult dict."""
    values = values or {}

    def at(path: str) -> str:
        return os.path.normpath(os.path.join(cwd, path))

    metrics = None
    if gate.get("metrics") is not None:
        path, problem = try_resolve(gate["metrics"], values)
        metrics = None if problem or path is None else _load_metrics(at(path))
    files = {p: examine(at(p), h, s) for p, (h, s) in _files_needed(gate, values).items()}
    return evaluate(gate_id, gate, values, metrics, files, time or now_iso())
