"""Run parameters by the rules and with the messages of `updraft run` (src/planner/params.ts), for every
exporter: values given by name (Airflow: the run's conf; SLURM: `--param` pairs), then
UPDRAFT_PARAM_<NAME>, then the parameter's own environment variable, then its default (a derived
default after the parameters it uses). Read on the machine that runs the stage. Standard library only."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

try:
    from .gates.values import format_number
except ImportError:  # copied beside the package updraft_gates (the SLURM export)
    from updraft_gates.values import format_number  # type: ignore[no-redef,import-not-found]

Param = Mapping[str, Any]
Problem = tuple[str, str, str]
"""(code, message, hint), as updraft run prints them."""

TRUTH = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
# As text: an int is decimal digits only (0x10, 0b11, 1e3, 1_000 are not); a number is decimal with an
# optional fraction and exponent. The same rule for text from the command line, a file, a conf and a variable.
INT_TEXT = re.compile(r"-?[0-9]+")
NUMBER_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
TEXT_FORM = {
    "int": "write it in decimal digits, such as 42 or -3",
    "number": "write it as a decimal number, such as 0.5, -3 or 1e-4",
    "bool": "write true, false, yes, no, 1 or 0",
}


def js_text(value: Any) -> str:
    """A value as JavaScript's String(value) writes it (how a command sees it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) < 10**21:
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


def js_json(value: Any) -> str:
    """JSON.stringify(value) for the values a parameter can hold."""
    if isinstance(value, (bool, str)) or value is None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, (int, float)):
        return js_text(value) if math.isfinite(value) else "null"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def env_name(name: str) -> str:
    return "UPDRAFT_PARAM_" + name.upper()


def js_number(text: str) -> int | float:
    """A parsed number as JavaScript holds it: integral values up to 2**53 as int, the rest as float."""
    n = float(text)
    return int(n) if math.isfinite(n) and n == int(n) and abs(n) <= 2**53 else n


def from_text(p: Param, text: str) -> Any:
    """Text converted to a parameter's type, or the text itself when it does not convert."""
    if p["type"] == "int":
        return js_number(str(int(text))) if INT_TEXT.fullmatch(text) else text
    if p["type"] == "number":
        return js_number(text) if NUMBER_TEXT.fullmatch(text) else text
    if p["type"] == "bool":
        return TRUTH.get(text.lower(), text)
    return text


def type_error(p: Param, value: Any) -> str | None:
    """valueTypeError of validate.ts: why a value does not fit, or None."""
    shown, t = js_json(value), p["type"]
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "int":
        ok = number and math.isfinite(value) and float(value).is_integer() and abs(value) <= 2**53 - 1
        return None if ok else "is %s, not a whole number" % shown
    if t == "number":
        return None if number and math.isfinite(value) else "is %s, not a number" % shown
    if t == "bool":
        return None if isinstance(value, bool) else "is %s, not true or false" % shown
    if t == "enum":
        ok = isinstance(value, str) and value in p["values"]
        return None if ok else "is %s, not one of %s" % (shown, ", ".join(p["values"]))
    return None if isinstance(value, str) else "is %s, not text" % shown


def _given(
    by_name: Mapping[str, Param], named: Mapping[str, Any], label: str, pairs: list[str], problems: list[Problem]
) -> dict[str, tuple[Any, str]]:
    known = ", ".join(by_name) or "(none)"
    given: dict[str, tuple[Any, str]] = {}

    def unknown(what: str, name: str) -> Problem:
        return (
            "unknown-param",
            '%s sets "%s", which the pipeline does not declare' % (what, name),
            "declared parameters: " + known,
        )

    for name, value in named.items():
        if name not in by_name:
            problems.append(unknown(label, name))
        elif value is not None:  # null (an empty trigger-form field) gives no value
            given[name] = (from_text(by_name[name], value) if isinstance(value, str) else value, label)
    for pair in pairs:
        name, eq, text = pair.partition("=")
        if not eq:
            problems.append(
                (
                    "invalid-param-syntax",
                    "--param %s has no value" % json.dumps(pair, ensure_ascii=False),
                    "write --param name=value",
                )
            )
        elif name not in by_name:
            problems.append(unknown("--param", name))
        else:
            given[name] = (from_text(by_name[name], text), "--param")
    return given


def derived_order(declared: list[Param]) -> list[str]:
    """Parameters with a derived default, each after the ones it uses (the planner refused cycles)."""
    by_name = {p["name"]: p for p in declared}
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        p = by_name.get(name)
        if p is None or not p.get("derived") or name in order or name in path:
            return
        for part in p["derived"]:
            if not isinstance(part, str):
                visit(part["param"], (*path, name))
        order.append(name)

    for p in declared:
        visit(p["name"], ())
    return order


def _type_problem(p: Param, value: Any, source: str, reason: str) -> Problem:
    kind = p["type"] + (" (%s)" % ", ".join(p["values"]) if p["type"] == "enum" else "")
    if isinstance(value, str) and p["type"] in TEXT_FORM:
        kind = "%s: %s" % (p["type"], TEXT_FORM[p["type"]])
    return (
        "invalid-param-value",
        'parameter "%s" from %s %s' % (p["name"], source, reason),
        "give a value of type " + kind,
    )


def resolve_params(
    declared: list[Param],
    environ: Mapping[str, str],
    named: Mapping[str, Any] | None = None,
    label: str = "--params file",
    pairs: list[str] | None = None,
    stages: list[Mapping[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
    """(values, where each came from, problems) for the declared parameters (the Plan's `params`).

    `named`: values by name (Airflow: dag_run.conf, problems name it `label`); `pairs`: `name=value` texts;
    `stages`: the Plan's stages, whose GPU count a parameter may give (then 1 or more)."""
    problems: list[Problem] = []
    by_name = {p["name"]: p for p in declared}
    given = _given(by_name, named or {}, label, pairs or [], problems)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}

    def accept(p: Param, value: Any, source: str) -> None:
        reason = type_error(p, value)
        if reason:
            problems.append(_type_problem(p, value, source, reason))
        else:
            values[p["name"]], sources[p["name"]] = value, source

    for p in declared:
        chosen = given.get(p["name"])
        for var in [env_name(p["name"]), *([p["env"]] if p.get("env") else [])]:
            if chosen is None and var in environ:
                chosen = (from_text(p, environ[var]), var)
        if chosen is None and p["default"] is not None:
            chosen = (p["default"], "default")
        if chosen is not None:
            accept(p, *chosen)
        elif not p.get("derived"):
            hint = "give it with --param %s=VALUE or %s" % (
                p["name"],
                " or ".join([env_name(p["name"]), *([p["env"]] if p.get("env") else [])]),
            )
            problems.append(("missing-param", 'parameter "%s" is required and has no value' % p["name"], hint))
    for name in derived_order(declared):
        p = by_name[name]
        uses = [part["param"] for part in p["derived"] if not isinstance(part, str)]
        if name in values or not all(n in values for n in uses):
            continue  # a missing or wrong value is reported already
        text = "".join(part if isinstance(part, str) else js_text(values[part["param"]]) for part in p["derived"])
        accept(p, from_text(p, text), "default")
    problems.extend(_gpu_count_problems(stages or [], values, sources))
    return values, sources, problems


def _gpu_count_problems(
    stages: list[Mapping[str, Any]], values: dict[str, Any], sources: dict[str, str]
) -> list[Problem]:
    """A problem for each parameter that gives a stage's GPU count and resolved below 1 (gpuCountProblems)."""
    told: set[str] = set()
    out: list[Problem] = []
    for s in stages:
        if not isinstance(s.get("gpu"), dict):
            continue
        name = s["gpu"]["param"]
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value >= 1 or name in told:
            continue
        told.add(name)
        out.append(
            (
                "invalid-param-value",
                'parameter "%s" from %s is %s, but stage "%s" takes its GPU count from it'
                % (name, sources[name], js_text(value), s["id"]),
                "give %s a whole number of GPUs, 1 or more" % name,
            )
        )
    return out


def stage_gpus(stage: Mapping[str, Any], values: Mapping[str, Any]) -> int:
    """The GPUs a stage needs in this run: its count, or the value of the parameter that gives it (stageGpus)."""
    gpu = stage.get("gpu") or 0
    return int(values[gpu["param"]]) if isinstance(gpu, dict) else int(gpu)


def format_problems(problems: list[Problem], pipeline_id: str) -> str:
    """The problems as updraft run prints them (exit 2), and its last line."""
    lines = ["\u2716 %s [%s]\n  hint: %s" % (message, code, hint) for code, message, hint in problems]
    return "\n".join([*lines, "error: invalid run parameters for %s" % pipeline_id])
