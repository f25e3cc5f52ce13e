"""Metric rules: a value looked up by a dotted path in the metrics object, judged by one operator."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from .values import (
    format_number,
    json_safe,
    kind_of,
    non_finite,
    quote,
    rule_result,
    same,
    show_actual,
    show_value,
    to_float,
)

_INDEX = re.compile(r"0|[1-9][0-9]*")
MISSING: Any = object()
_PHRASE = {"<": "below", "<=": "at most", ">": "above", ">=": "at least"}


def lookup(root: Any, path: str) -> Any:
    """The value at a dotted path (list indexes as digits), or MISSING."""
    cur = root
    for seg in path.split("."):
        if isinstance(cur, list) and _INDEX.fullmatch(seg) and len(seg) < 16 and int(seg) < len(cur):
            cur = cur[int(seg)]
        elif isinstance(cur, dict) and seg in cur:
            cur = cur[seg]
        else:
            return MISSING
    return cur


def _bound(b: Any, values: dict[str, Any]) -> tuple[float, str] | str:
    """(number, its text), or why the run's parameter cannot be one."""
    if not isinstance(b, dict):
        return to_float(b), format_number(b)
    name = b["param"]
    if name not in values:
        return "no value for parameter %s" % quote(name)
    v = values[name]
    if kind_of(v) != "number" or not math.isfinite(to_float(v)):
        return "parameter %s is %s, not a finite number" % (quote(name), show_actual(v, True))
    return to_float(v), "%s (parameter %s)" % (format_number(v), name)


def _numeric(rule: dict[str, Any], value: Any, values: dict[str, Any]) -> dict[str, Any]:
    op, m, found = rule["op"], rule["metric"], value is not MISSING
    bounds: list[tuple[float, str]] = []
    for b in [rule["min"], rule["max"]] if op == "between" else [rule["value"]]:
        bound = _bound(b, values)
        if isinstance(bound, str):
            return rule_result(False, None, "%s cannot be checked: %s" % (m, bound))
        bounds.append(bound)
    (lo, lo_text), (hi, hi_text) = bounds[0], bounds[-1]
    test: Callable[[float], bool]
    if op == "between":
        expected = "between %s and %s" % (lo_text, hi_text)

        def test(n: float) -> bool:
            return lo <= n <= hi

    else:
        expected = "%s %s" % (_PHRASE[op], lo_text)
        tests: dict[str, Callable[[float], bool]] = {
            "<": lambda n: n < lo,
            "<=": lambda n: n <= lo,
            ">": lambda n: n > lo,
            ">=": lambda n: n >= lo,
        }
        test = tests[op]
    shown = show_actual(value, kind_of(value) != "number") if found else "missing"
    if found and kind_of(value) == "number" and math.isfinite(to_float(value)):
        return rule_result(test(to_float(value)), json_safe(value), "%s is %s, expected %s" % (m, shown, expected))
    kind = "a finite number" if found and non_finite(value) else "a number"
    actual = json_safe(value) if found else None
    return rule_result(False, actual, "%s is %s, expected %s %s" % (m, shown, kind, expected))


def _expectation(rule: dict[str, Any]) -> tuple[str, list[Any], Callable[[Any], bool]]:
    """What the rule expects (as text), the values it names, and its test."""
    op, v = rule["op"], rule.get("value")
    if op == "==":
        return show_value(v), [v], lambda a: same(a, v)
    if op == "!=" and v is None:
        return "a value other than null", [], lambda a: a is not None
    if op == "!=":
        return (
            "a %s other than %s" % (kind_of(v), show_value(v)),
            [v],
            lambda a: kind_of(a) == kind_of(v) and not same(a, v),
        )
    if op == "==i":  # str.lower and JavaScript's toLowerCase apply the same default Unicode mapping
        want = str(v).lower()
        return "%s ignoring case" % show_value(v), [v], lambda a: isinstance(a, str) and a.lower() == want
    if op == "in":
        vs: list[Any] = rule["values"]
        text = ("one of " + ", ".join(show_value(x) for x in vs)) if vs else "one of no values (the list is empty)"
        return text, vs, lambda a: any(same(a, x) for x in vs)
    return "present", [], lambda a: a is not None


def check_metric(rule: dict[str, Any], metrics: Any, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """One metric rule judged on the metrics object; a bound named by a parameter takes its value in values."""
    m, value = rule["metric"], lookup(metrics, rule["metric"])
    found = value is not MISSING
    actual = json_safe(value) if found else None
    if rule["op"] == "absent":
        shown = show_actual(value, False) if found else "missing"
        return rule_result(not found or value is None, actual, "%s is %s, expected absent" % (m, shown))
    if rule["op"] in _PHRASE or rule["op"] == "between":
        return _numeric(rule, value, values or {})
    expected, kinds, test = _expectation(rule)
    if not found:
        return rule_result(False, None, "%s is missing, expected %s" % (m, expected))
    qualify = bool(kinds) and not any(kind_of(k) == kind_of(value) for k in kinds)
    passed = not non_finite(value) and test(value)
    return rule_result(passed, actual, "%s is %s, expected %s" % (m, show_actual(value, qualify), expected))
