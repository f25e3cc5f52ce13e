/**
 * The gate evaluator as a self-contained Python 3.9+ module (standard library only), for places
 * without Node: the exported Airflow DAG embeds this text and calls `evaluate_gate` from a task.
 * It repeats `evaluate.ts` rule for rule; test/gates/vectors.json pins both to the same results.
 *
 * @example
 * ```ts
 * writeFileSync("updraft_gates.py", GATE_EVALUATOR_PY);
 * // python: from updraft_gates import evaluate_gate; evaluate_gate("data_ok", gate, {"run": "r1"}, "/work")
 * ```
 */
import { PY_FILE_RULES } from "./python-files.js";
import { PY_METRIC_RULES } from "./python-metrics.js";

export const GATE_EVALUATOR_PY = String.raw`"""updraft quality gates: evaluate_gate(gate_id, gate, values, cwd) -> GateResult dict.

The twin of updraft's TypeScript evaluator: same verdicts, same reason strings. Numbers print as
JavaScript prints them (1.0 -> "1"); booleans never equal numbers; NaN and infinities fail every
metric rule; metrics files may hold the NaN/Infinity tokens that json.dump writes.
"""
import hashlib
import json
import math
import os
import re
import stat
from datetime import datetime, timezone


${PY_METRIC_RULES}

${PY_FILE_RULES}

def _metrics_object(gate, values, metrics):
    """(dict, None), or (None, the clause every metric rule fails with)."""
    if gate.get("metrics") is None:
        return None, "the gate names no metrics file"
    path, problem = try_resolve(gate["metrics"], values)
    if problem:
        return None, "metrics file " + problem
    where = "metrics file " + _quote(path)
    if metrics is None:
        return None, where + " was not read"
    if "error" in metrics:
        return None, "%s %s" % (where, metrics["error"])
    if not isinstance(metrics["value"], dict):
        return None, "%s holds %s, not a JSON object" % (where, _A_KIND[kind_of(metrics["value"])])
    return metrics["value"], None


def _check_rule(rule, values, metrics_obj, metrics_problem, files):
    if "metric" in rule:
        if metrics_problem:
            return _result(False, None, "%s cannot be checked: %s" % (rule["metric"], metrics_problem))
        return check_metric(rule, metrics_obj)
    path, problem = try_resolve(rule["file"], values)
    if problem:
        return _result(False, None, "file " + problem)
    sums_path = None
    if rule["op"] == "sha256-listed":
        sums_path, problem = try_resolve(rule["sums"], values)
        if problem:
            return _result(False, None, "sums file " + problem)
    return check_file(rule, path, sums_path, files)


def evaluate(gate_id, gate, values, metrics, files, time):
    """The pure core: metrics is {"value": v}, {"error": clause} or None; files maps paths to facts."""
    metrics_obj, metrics_problem = _metrics_object(gate, values, metrics)
    rules = [dict({"rule": r}, **_check_rule(r, values, metrics_obj, metrics_problem, files)) for r in gate["rules"]]
    failed = [r for r in rules if not r["passed"]]
    n = len(rules)
    if n == 0:
        reason = "the gate has no rules"
    else:
        reason = failed[0]["reason"] if failed else ("the only rule passed" if n == 1 else "all %d rules passed" % n)
    return {"gate": gate_id, "verdict": "PASS" if n and not failed else "FAIL", "severity": gate["severity"],
            "rules": rules, "reason": reason, "time": time}


def parse_metrics_bytes(data):
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


def _load_metrics(path):
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


def _examine(path, need_hash, need_sums):
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return {"kind": "directory"}
        if not stat.S_ISREG(st.st_mode):
            return {"kind": "other"}
        if not os.access(path, os.R_OK):
            return {"kind": "unreadable"}
        facts = {"kind": "file", "size": st.st_size}
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


def _now():
    t = datetime.now(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def _files_needed(gate, values):
    """{resolved path: (hash it, read it as a sums file)} for the gate's file rules."""
    needs = {}

    def need(template, hashed, sums):
        path, problem = try_resolve(template, values)
        if not problem:
            h, s = needs.get(path, (False, False))
            needs[path] = (h or hashed, s or sums)

    for rule in gate["rules"]:
        if "file" in rule:
            need(rule["file"], rule["op"] in ("sha256", "sha256-listed"), False)
        if "sums" in rule:
            need(rule["sums"], False, True)
    return needs


def evaluate_gate(gate_id, gate, values, cwd, time=None):
    """Read the gate's metrics file and files (relative to cwd) and return its GateResult dict."""
    values = values or {}

    def at(path):
        return os.path.normpath(os.path.join(cwd, path))

    metrics = None
    if gate.get("metrics") is not None:
        path, problem = try_resolve(gate["metrics"], values)
        metrics = None if problem else _load_metrics(at(path))
    files = {p: _examine(at(p), h, s) for p, (h, s) in _files_needed(gate, values).items()}
    return evaluate(gate_id, gate, values, metrics, files, time or _now())
`;
