"""Run parameters for a SLURM run, by the rules and with the messages of `updraft run`
(src/planner/params.ts): `--param name=value` first, then UPDRAFT_PARAM_<NAME>, then defaults."""
import json
import math
import re

from updraft_gates.values import format_number

TRUTH = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def js_text(value):
    """A value as JavaScript's String(value) writes it (how a command sees it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) < 10**21:
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


def js_json(value):
    """JSON.stringify(value) for the values a parameter can hold."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return js_text(value) if math.isfinite(value) else "null"


# As text (src/planner/params.ts): an int is decimal digits only (0x10, 0b11, 1e3, 1_000 are not);
# a number is decimal with an optional fraction and exponent.
INT_TEXT = re.compile(r"-?[0-9]+")
NUMBER_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
TEXT_FORM = {
    "int": "write it in decimal digits, such as 42 or -3",
    "number": "write it as a decimal number, such as 0.5, -3 or 1e-4",
    "bool": "write true, false, yes, no, 1 or 0",
}


def js_number(value):
    """A parsed number as JavaScript holds it: integral values up to 2**53 as int, the rest as float."""
    n = float(value)
    return int(n) if math.isfinite(n) and n == int(n) and abs(n) <= 2**53 else n


def from_text(p, text):
    if p["type"] == "int":
        return js_number(int(text)) if INT_TEXT.fullmatch(text) else text
    if p["type"] == "number":
        return js_number(text) if NUMBER_TEXT.fullmatch(text) else text
    if p["type"] == "bool":
        return TRUTH.get(text.lower(), text)
    return text


def type_error(p, value):
    """valueTypeError of validate.ts: why a value does not fit, or None."""
    shown, t = js_json(value), p["type"]
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "int":
        ok = number and float(value).is_integer() and abs(value) <= 2**53 - 1
        return None if ok else "is %s, not a whole number" % shown
    if t == "number":
        return None if number and math.isfinite(value) else "is %s, not a number" % shown
    if t == "bool":
        return None if isinstance(value, bool) else "is %s, not true or false" % shown
    if t == "enum":
        ok = isinstance(value, str) and value in p["values"]
        return None if ok else "is %s, not one of %s" % (shown, ", ".join(p["values"]))
    return None if isinstance(value, str) else "is %s, not text" % shown


def resolve_params(declared, pairs, environ):
    """(values, problems); a problem is (code, message, hint)."""
    problems, given = [], {}
    by_name = {p["name"]: p for p in declared}
    known = ", ".join(p["name"] for p in declared) or "(none)"
    for pair in pairs:
        name, eq, text = pair.partition("=")
        if not eq:
            problems.append(("invalid-param-syntax", "--param %s has no value" % json.dumps(pair, ensure_ascii=False), "write --param name=value"))
        elif name not in by_name:
            problems.append(("unknown-param", '--param sets "%s", which the pipeline does not declare' % name, "declared parameters: " + known))
        else:
            given[name] = (from_text(by_name[name], text), "--param")
    values = {}
    for p in declared:
        env_name = "UPDRAFT_PARAM_" + p["name"].upper()
        chosen = given.get(p["name"])
        if chosen is None and env_name in environ:
            chosen = (from_text(p, environ[env_name]), env_name)
        if chosen is None and p["default"] is not None:
            chosen = (p["default"], "default")
        if chosen is None:
            hint = "give it with --param %s=VALUE or %s" % (p["name"], env_name)
            problems.append(("missing-param", 'parameter "%s" is required and has no value' % p["name"], hint))
            continue
        reason = type_error(p, chosen[0])
        if reason:
            kind = p["type"] + (" (%s)" % ", ".join(p["values"]) if p["type"] == "enum" else "")
            if isinstance(chosen[0], str) and p["type"] in TEXT_FORM:
                kind = "%s: %s" % (p["type"], TEXT_FORM[p["type"]])
            problems.append(("invalid-param-value", 'parameter "%s" from %s %s' % (p["name"], chosen[1], reason), "give a value of type " + kind))
        else:
            values[p["name"]] = chosen[0]
    return values, problems
