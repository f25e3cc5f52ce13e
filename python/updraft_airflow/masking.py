"""Masking secret values, by the rules of `updraft run` (test/fixtures/masking/cases.json pins both): in
a byte stream, also a value split across reads or lines; every occurrence found in the original bytes,
overlapping occurrences masked as one. Standard library only, so the SLURM export ships it too."""

from __future__ import annotations

import json
import os
from typing import Any

MASK = b"***"


def mask_bytes(data: bytes, secrets: list[bytes]) -> bytes:
    """Every occurrence of every secret masked; overlapping ones become one mask, touching ones stay two."""
    spans: list[tuple[int, int]] = []
    for secret in secrets:
        at = data.find(secret)
        while at != -1:
            spans.append((at, at + len(secret)))
            at = data.find(secret, at + 1)
    if not spans:
        return data
    spans.sort(key=lambda span: (span[0], -span[1]))
    out: list[bytes] = []
    done = 0
    start, end = spans[0]
    for s, e in spans[1:]:
        if s < end:
            end = max(end, e)
        else:
            out += [data[done:start], MASK]
            done, start, end = end, s, e
    out += [data[done:start], MASK, data[end:]]
    return b"".join(out)


class Masker:
    """One output stream: feed chunks with push(), then end() once; each returns the bytes safe to write."""

    def __init__(self, values: list[str]) -> None:
        self.secrets = sorted({v.encode() for v in values if v}, key=len, reverse=True)
        self.keep = max([len(s) - 1 for s in self.secrets] + [0])
        self.held = b""

    def push(self, chunk: bytes) -> bytes:
        if not self.secrets:
            return chunk
        text = self.held + chunk
        cut = max(0, len(text) - self.keep)
        moved = True
        while moved:  # never cut through an occurrence: hold it back whole until it can be masked
            moved = False
            for secret in self.secrets:
                at = text.find(secret, max(0, cut - len(secret) + 1))
                if at != -1 and at < cut:
                    cut, moved = at, True
        self.held = text[cut:]
        return mask_bytes(text[:cut], self.secrets)

    def end(self) -> bytes:
        rest, self.held = self.held, b""
        return mask_bytes(rest, self.secrets)


def mask_deep(value: Any, values: list[str]) -> Any:
    """JSON-like data with every secret masked in every string, as is and JSON-escaped (reasons quote values)."""
    forms = sorted(
        {f for v in values if v for f in (v, json.dumps(v, ensure_ascii=False)[1:-1])}, key=len, reverse=True
    )
    if isinstance(value, str):
        for form in forms:
            value = value.replace(form, "***")
        return value
    if isinstance(value, list):
        return [mask_deep(v, values) for v in value]
    if isinstance(value, dict):
        return {mask_deep(k, values): mask_deep(v, values) for k, v in value.items()}
    return value


def plan_secrets(plan_json: str) -> list[str]:
    """The values of every secret the plan names that this machine has: any stage may print any of them."""
    names = sorted({n for s in json.loads(plan_json)["stages"] for n in s["secretEnv"]})
    return [os.environ[n] for n in names if os.environ.get(n)]
