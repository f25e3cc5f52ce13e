"""The metrics file checked against the gate's schema (the Plan's gate.schema): the twin of
src/gates/schema-check.ts, one sentence per mismatch, in the same order."""

from __future__ import annotations

import math
from typing import Any

from .values import kind_of, show_actual, show_value, to_float

_A_TYPE = {
    "null": "null",
    "boolean": "a boolean",
    "number": "a number",
    "integer": "an integer",
    "string": "a string",
    "array": "an array",
    "object": "an object",
}


def _fits(t: str, value: Any) -> bool:
    if t == "integer":
        return kind_of(value) == "number" and math.isfinite(to_float(value)) and to_float(value).is_integer()
    return kind_of(value) == t


def _types_of(node: dict[str, Any]) -> list[str]:
    if "type" in node:
        return list(node["type"])
    if "enum" in node:
        return list(dict.fromkeys(kind_of(v) for v in node["enum"]))
    return [t for alt in node.get("anyOf", []) for t in _types_of(alt)]


def _expected(types: list[str]) -> str:
    unique = list(dict.fromkeys(types))
    return " or ".join(_A_TYPE[t] for t in unique) if unique else "a value"


def _same(a: Any, b: Any) -> bool:
    return kind_of(a) == kind_of(b) and a == b


def _check(node: dict[str, Any], value: Any, path: str, out: list[str]) -> None:
    alts = node.get("anyOf") or []
    if alts:
        found = []
        for alt in alts:
            o: list[str] = []
            _check(alt, value, path, o)
            found.append(o)
        if not any(not o for o in found):
            same = next((i for i, alt in enumerate(alts) if any(_fits(t, value) for t in _types_of(alt))), -1)
            if same >= 0:
                out.extend(found[same])
            else:
                types = [t for alt in alts for t in _types_of(alt)]
                out.append("%s is %s, expected %s" % (path, show_actual(value, True), _expected(types)))
            return
    if "type" in node and not any(_fits(t, value) for t in node["type"]):
        out.append("%s is %s, expected %s" % (path, show_actual(value, True), _expected(node["type"])))
        return
    if "enum" in node and not any(_same(e, value) for e in node["enum"]):
        listed = ", ".join(show_value(e) for e in node["enum"])
        out.append("%s is %s, expected one of %s" % (path, show_actual(value, False), listed))
        return

    def at(key: str) -> str:
        return key if path == "" else "%s.%s" % (path, key)

    if isinstance(value, dict):
        properties = node.get("properties", {})
        required = node.get("required", [])
        for key, child in properties.items():
            if key in value:
                _check(child, value[key], at(key), out)
            elif key in required:
                out.append("%s is missing, expected %s" % (at(key), _expected(_types_of(child))))
        for key in dict.fromkeys(required):
            if key not in properties and key not in value:
                out.append("%s is missing" % at(key))
        if "additionalProperties" in node:
            extra = [k for k in value if k not in properties]
            for key in sorted(extra, key=lambda k: k.encode("utf-16-be")):
                _check(node["additionalProperties"], value[key], at(key), out)
    if isinstance(value, list) and "items" in node:
        for i, v in enumerate(value):
            _check(node["items"], v, at(str(i)), out)


def schema_mismatches(schema: dict[str, Any], metrics: dict[str, Any]) -> list[str]:
    """Every way a parsed metrics object disagrees with the gate's schema, in schema order."""
    out: list[str] = []
    _check(schema, metrics, "", out)
    return out
