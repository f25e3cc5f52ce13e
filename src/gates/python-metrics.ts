/**
 * Part of GATE_EVALUATOR_PY (see python.ts): how values print and how metric rules judge them,
 * the Python twin of format.ts and metric-rules.ts.
 *
 * @example
 * ```ts
 * GATE_EVALUATOR_PY.includes(PY_METRIC_RULES); // true
 * ```
 */
/**
 * `format_number(x)`: a number as JavaScript's String() prints it, in Python. One source for the
 * gate evaluator's reasons and the Airflow runtime's parameter text (needs `math`).
 *
 * @example
 * ```ts
 * PY_FORMAT_NUMBER.includes("def format_number(x):"); // true
 * ```
 */
export const PY_FORMAT_NUMBER = String.raw`def _float(x):
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def format_number(x):
    """A number as JavaScript's String() prints it: 1.0 -> '1', 1e21 -> '1e+21', 1e-7 -> '1e-7'."""
    x = _float(x)
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
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))`;

export const PY_METRIC_RULES = String.raw`_INDEX = re.compile(r"0|[1-9][0-9]*")
_MISSING = object()
_PHRASE = {"<": "below", "<=": "at most", ">": "above", ">=": "at least"}
_A_KIND = {"null": "null", "boolean": "a boolean", "number": "a number", "string": "a string",
           "array": "an array", "object": "an object"}


def kind_of(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


${PY_FORMAT_NUMBER}


def _quote(s):
    return json.dumps(s, ensure_ascii=False)


def show_value(v):
    k = kind_of(v)
    if k in ("null", "boolean"):
        return json.dumps(v)
    if k == "number":
        return format_number(v)
    return _quote(v) if k == "string" else _A_KIND[k]


def show_actual(v, qualify):
    k = kind_of(v)
    return "the %s %s" % (k, show_value(v)) if qualify and k in ("boolean", "number", "string") else show_value(v)


def json_safe(v):
    if kind_of(v) == "number":  # -0.0 becomes 0, as JSON.stringify writes it
        return (abs(v) if v == 0 else v) if math.isfinite(_float(v)) else format_number(v)
    if isinstance(v, list):
        return [json_safe(x) for x in v]
    if isinstance(v, dict):
        return {k: json_safe(x) for k, x in v.items()}
    return v


def _non_finite(v):
    return kind_of(v) == "number" and not math.isfinite(_float(v))


def _same(a, b):
    if kind_of(a) != kind_of(b):
        return False
    return _float(a) == _float(b) if kind_of(a) == "number" else a == b


def lookup(root, path):
    cur = root
    for seg in path.split("."):
        if isinstance(cur, list) and _INDEX.fullmatch(seg) and len(seg) < 16 and int(seg) < len(cur):
            cur = cur[int(seg)]
        elif isinstance(cur, dict) and seg in cur:
            cur = cur[seg]
        else:
            return _MISSING
    return cur


def _result(passed, actual, reason):
    return {"passed": passed, "actual": actual, "reason": reason}


def _numeric(rule, value):
    op, m, found = rule["op"], rule["metric"], value is not _MISSING
    if op == "between":
        lo, hi = _float(rule["min"]), _float(rule["max"])
        expected, test = "between %s and %s" % (format_number(lo), format_number(hi)), lambda n: lo <= n <= hi
    else:
        b = _float(rule["value"])
        expected = "%s %s" % (_PHRASE[op], format_number(b))
        test = {"<": lambda n: n < b, "<=": lambda n: n <= b, ">": lambda n: n > b, ">=": lambda n: n >= b}[op]
    shown = show_actual(value, kind_of(value) != "number") if found else "missing"
    if found and kind_of(value) == "number" and math.isfinite(_float(value)):
        return _result(test(_float(value)), json_safe(value), "%s is %s, expected %s" % (m, shown, expected))
    kind = "a finite number" if found and _non_finite(value) else "a number"
    return _result(False, json_safe(value) if found else None, "%s is %s, expected %s %s" % (m, shown, kind, expected))


def _expectation(rule):
    op, v = rule["op"], rule.get("value")
    if op == "==":
        return show_value(v), [v], lambda a: _same(a, v)
    if op == "!=" and v is None:
        return "a value other than null", [], lambda a: a is not None
    if op == "!=":
        return "a %s other than %s" % (kind_of(v), show_value(v)), [v], lambda a: kind_of(a) == kind_of(v) and not _same(a, v)
    if op == "in":
        vs = rule["values"]
        shown = ", ".join(show_value(x) for x in vs) if vs else None
        return ("one of " + shown) if vs else "one of no values (the list is empty)", vs, lambda a: any(_same(a, x) for x in vs)
    return "present", [], lambda a: a is not None


def check_metric(rule, metrics):
    m, value = rule["metric"], lookup(metrics, rule["metric"])
    found = value is not _MISSING
    actual = json_safe(value) if found else None
    if rule["op"] == "absent":
        shown = show_actual(value, False) if found else "missing"
        return _result(not found or value is None, actual, "%s is %s, expected absent" % (m, shown))
    if rule["op"] in _PHRASE or rule["op"] == "between":
        return _numeric(rule, value)
    expected, kinds, test = _expectation(rule)
    if not found:
        return _result(False, None, "%s is missing, expected %s" % (m, expected))
    qualify = bool(kinds) and not any(kind_of(k) == kind_of(value) for k in kinds)
    passed = not _non_finite(value) and test(value)
    return _result(passed, actual, "%s is %s, expected %s" % (m, show_actual(value, qualify), expected))
`;
