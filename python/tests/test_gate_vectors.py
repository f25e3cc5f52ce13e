"""The shared gate vectors (test/gates/vectors.json) through the Python evaluator: the verdicts,
reasons and actual values the TypeScript evaluator gives. Files are written as
test/gates/vector-files.ts writes them."""

from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from updraft_airflow.gates import values
from updraft_airflow.gates.evaluate import evaluate_gate

ROOT = Path(__file__).parents[2]
CASES: list[dict[str, Any]] = json.loads((ROOT / "test" / "gates" / "vectors.json").read_text(encoding="utf-8"))[
    "cases"
]


def write_files(files: dict[str, Any], into: Path) -> None:
    for name, spec in files.items():
        target = into / name
        if isinstance(spec, dict) and "directory" in spec:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, str):
            target.write_text(spec, encoding="utf-8")
        elif "json" in spec:
            target.write_text(json.dumps(spec["json"], ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        elif "hex" in spec:
            target.write_bytes(bytes.fromhex(spec["hex"]))
        elif "symlink" in spec:
            target.symlink_to(spec["symlink"])
        else:
            os.mkfifo(target)


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    """A result as stored (a JSON round trip), keeping only what the vectors pin."""
    stored = json.loads(json.dumps(result, allow_nan=False), parse_int=float)
    rules = [{"passed": r["passed"], "reason": r["reason"], "actual": r["actual"]} for r in stored["rules"]]
    out = {"verdict": stored["verdict"], "reason": stored["reason"], "rules": rules}
    if "schemaMismatches" in stored:
        out["schemaMismatches"] = stored["schemaMismatches"]
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any], tmp_path: Path) -> None:
    # GIVEN the case's files WHEN the Python evaluator judges the gate
    write_files(case["files"], tmp_path)
    result = evaluate_gate("gate", case["gate"], case.get("params") or {}, str(tmp_path))
    # THEN it gives the pinned verdict, reasons and actual values, and a JavaScript-style time
    # (numbers compared as JavaScript holds them: integers as doubles)
    assert comparable(result) == json.loads(json.dumps(case["expected"]), parse_int=float)
    assert len(result["time"]) == 24 and result["time"].endswith("Z")


@pytest.mark.parametrize(
    ("number", "text"),
    [(1.0, "1"), (1e21, "1e+21"), (1e-7, "1e-7"), (1e-6, "0.000001"), (-0.0, "0"), (5e-324, "5e-324"), (0.1, "0.1")],
)
def test_numbers_print_as_javascript_prints_them(number: float, text: str) -> None:
    assert values.format_number(number) == text


def test_gates_are_standard_library_python_39_with_no_side_effects_on_import() -> None:
    # GIVEN every module of the gates package, read with the 3.9 grammar
    folder = ROOT / "python" / "updraft_airflow" / "gates"
    imported: set[str] = set()
    for file in folder.glob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"), feature_version=(3, 9))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    # THEN only the standard library is imported (relative imports stay inside the package)
    assert imported - {"__future__"} <= set(sys.stdlib_module_names)
