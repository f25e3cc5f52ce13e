"""anyOf and allOf: a verdict over the verdicts of their branches (the twin of src/gates/combine.ts)."""

from __future__ import annotations

from typing import Any

from .values import rule_result

_NAME = {"any": "anyOf", "all": "allOf"}


def leaf_rules(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rules on one value or one file, however deeply any/all nest them."""
    return [leaf for r in rules for leaf in (leaf_rules(r["rules"]) if r["op"] in _NAME else [r])]


def combine(op: str, branches: list[dict[str, Any]]) -> dict[str, Any]:
    """The outcome of an any or all rule from its branches' outcomes; actual lists them."""
    name, n = _NAME[op], len(branches)
    actual = [{"passed": b["passed"], "actual": b["actual"], "reason": b["reason"]} for b in branches]
    if n == 0:
        return rule_result(False, actual, "%s has no rules" % name)
    listed = "; ".join("(%d) %s" % (i + 1, b["reason"]) for i, b in enumerate(branches))
    decisive = next((i for i, b in enumerate(branches) if b["passed"] == (op == "any")), -1)
    if op == "any":
        if decisive < 0:
            return rule_result(False, actual, "no branch of anyOf passed: " + listed)
        reason = "anyOf passed on branch %d of %d: %s" % (decisive + 1, n, branches[decisive]["reason"])
        return rule_result(True, actual, reason)
    if decisive < 0:
        return rule_result(True, actual, "all %d branches of allOf passed: %s" % (n, listed))
    reason = "allOf failed on branch %d of %d: %s" % (decisive + 1, n, branches[decisive]["reason"])
    return rule_result(False, actual, reason)
