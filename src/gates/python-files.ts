/**
 * Part of GATE_EVALUATOR_PY (see python.ts): file rules, sums files and templates, the Python twin
 * of file-rules.ts, sums.ts and `tryResolve`.
 *
 * @example
 * ```ts
 * GATE_EVALUATOR_PY.includes(PY_FILE_RULES); // true
 * ```
 */
export const PY_FILE_RULES = String.raw`_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def _bytes(n):
    return "1 byte" if n == 1 else "%s bytes" % format_number(n)


def _not_a_file(label, path, facts):
    subject = "%s %s" % (label, _quote(path))
    kind = facts.get("kind") if facts else None
    return {"file": None, "missing": subject + " does not exist",
            "directory": subject + " is a directory, expected a regular file",
            "other": subject + " is not a regular file", "unreadable": subject + " cannot be read",
            }.get(kind, subject + " was not examined")


def _listed_hash(path, sums_path, facts):
    problem = _not_a_file("sums file", sums_path, facts)
    if problem:
        return None, problem
    shown, name = _quote(sums_path), base_name(path)
    if "sums" not in facts:
        return None, "sums file %s was not read" % shown
    if facts["sums"] is None:
        return None, "sums file %s is not valid UTF-8" % shown
    hashes = sorted({e["sha256"] for e in facts["sums"] if base_name(e["name"]) == name})
    if not hashes:
        return None, "sums file %s has no entry for %s" % (shown, _quote(name))
    if len(hashes) > 1:
        return None, "sums file %s lists %s with different hashes" % (shown, _quote(name))
    return hashes[0], None


def check_file(rule, path, sums_path, files):
    op, shown = rule["op"], _quote(path)
    if op == "sha256" and not _HEX64.fullmatch(rule["value"]):
        return _result(False, None, "the expected sha256 of %s, %s, is not 64 hex digits" % (shown, _quote(rule["value"])))
    facts = files.get(path)
    problem = _not_a_file("file", path, facts)
    if problem:
        return _result(False, None, problem)
    size = facts["size"]
    if op == "file-exists":
        return _result(True, size, "file %s exists (%s)" % (shown, _bytes(size)))
    if op == "file-not-empty":
        if size > 0:
            return _result(True, size, "file %s has %s, expected not empty" % (shown, _bytes(size)))
        return _result(False, 0, "file %s is empty, expected not empty" % shown)
    if "sha256" not in facts:
        return _result(False, None, "file %s was not hashed" % shown)
    h = facts["sha256"]
    if op == "sha256":
        want = rule["value"].lower()
        if h == want:
            return _result(True, h, "sha256 of %s is %s, as expected" % (shown, h))
        return _result(False, h, "sha256 of %s is %s, expected %s" % (shown, h, want))
    listed, problem = _listed_hash(path, sums_path, files.get(sums_path))
    if problem:
        return _result(False, h, problem)
    where = _quote(sums_path)
    if h == listed:
        return _result(True, h, "sha256 of %s is %s, as listed in %s" % (shown, h, where))
    return _result(False, h, "sha256 of %s is %s, expected %s as listed in %s" % (shown, h, listed, where))


def show_template(template):
    return "".join(p if isinstance(p, str) else "\x24{%s}" % p["param"] for p in template)


def _param_text(v):
    return show_value(v) if isinstance(v, (bool, int, float)) else str(v)


def try_resolve(template, values):
    """(path, None), or (None, reason) when a parameter has no value."""
    for p in template:
        if not isinstance(p, str) and p["param"] not in values:
            return None, "%s cannot be resolved (no value for parameter %s)" % (_quote(show_template(template)), _quote(p["param"]))
    return "".join(p if isinstance(p, str) else _param_text(values[p["param"]]) for p in template), None


def base_name(path):
    return path[path.rfind("/") + 1:]


def parse_sums(text):
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
`;
