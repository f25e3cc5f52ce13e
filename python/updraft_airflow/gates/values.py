"""How values print and compare: numbers as JavaScript prints them (1.0 -> "1"), kinds as JSON names them."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from typing import Any

A_KIND = {
    "null": "null",
    "boolean": "a boolean",
    "number": "a number",
    "string": "a string",
    "array": "an array",
    "object": "an object",
}


def to_float(x: float) -> float:
    """x as a float; an int too large for one becomes an infinity of its sign."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def format_number(x: float) -> str:
    """A number as JavaScript's String() prints it: 1.0 -> '1', 1e21 -> '1e+21', 1e-7 -> '1e-7'."""
    x = to_float(x)
    if x != x:
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    mantissa, _, exp = repr(abs(x)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    point = len(whole) + int(exp or 0) - (len(whole + frac) - len(digits))
    digits = digits.rstrip("0")
    k, sign = len(digits), "-" if x < 0 else ""
    if k <= point <= 21:
        return sign + digits + "0" * (point - k)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    e = point - 1
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))


def kind_of(v: Any) -> str:
    """The JSON kind of a value: null, boolean, number, string, array or object."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


def quote(s: str) -> str:
    """Text in double quotes, as JSON.stringify writes it (non-ASCII kept)."""
    return json.dumps(s, ensure_ascii=False)


def show_value(v: Any) -> str:
    k = kind_of(v)
    if k in ("null", "boolean"):
        return json.dumps(v)
    if k == "number":
        return format_number(v)
    return quote(v) if k == "string" else A_KIND[k]


def show_actual(v: Any, qualify: bool) -> str:
    k = kind_of(v)
    return "the %s %s" % (k, show_value(v)) if qualify and k in ("boolean", "number", "string") else show_value(v)


def json_safe(v: Any) -> Any:
    """v with non-finite numbers as text and -0.0 as 0, as JSON.stringify would keep it."""
    if kind_of(v) == "number":
        return (abs(v) if v == 0 else v) if math.isfinite(to_float(v)) else format_number(v)
    if isinstance(v, list):
        return [json_safe(x) for x in v]
    if isinstance(v, dict):
        return {k: json_safe(x) for k, x in v.items()}
    return v


def non_finite(v: Any) -> bool:
    return kind_of(v) == "number" and not math.isfinite(to_float(v))


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values: booleans never equal numbers, 1 equals 1.0."""
    if kind_of(a) != kind_of(b):
        return False
    return to_float(a) == to_float(b) if kind_of(a) == "number" else bool(a == b)


def rule_result(passed: bool, actual: Any, reason: str) -> dict[str, Any]:
    """One rule's outcome, in the shape of a GateResult's rules."""
    return {"passed": passed, "actual": actual, "reason": reason}


def now_iso() -> str:
    """The current UTC time as JavaScript's toISOString() writes it."""
    t = datetime.now(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
