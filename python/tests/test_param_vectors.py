"""The shared run-parameter vectors (test/planner/param-vectors.json) through the Python twin that the
Airflow and SLURM runtimes use: the values, sources and problems src/planner/params.ts gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from updraft_airflow.params import format_problems, resolve_params

ROOT = Path(__file__).parents[2]
CASES: list[dict[str, Any]] = json.loads((ROOT / "test" / "planner" / "param-vectors.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    # GIVEN the vector's declarations and sources WHEN resolved
    values, sources, problems = resolve_params(
        case["params"],
        case.get("env", {}),
        case.get("named", {}),
        case.get("label", "--params file"),
        case.get("pairs"),
        stages=case.get("stages"),
    )
    # THEN the values and their sources, or the problems in order, are the vector's
    if "problems" in case:
        assert [list(p) for p in problems] == case["problems"]
    else:
        assert problems == []
        assert (values, sources) == (case["values"], case["sources"])
        assert all(type(values[k]) is type(v) for k, v in case["values"].items())


def test_problems_print_as_updraft_run_prints_them() -> None:
    text = format_problems(
        [("unknown-param", 'dag_run.conf sets "x", which the pipeline does not declare', "declared parameters: n")],
        "demo",
    )
    assert text == (
        '\u2716 dag_run.conf sets "x", which the pipeline does not declare [unknown-param]\n'
        "  hint: declared parameters: n\n"
        "error: invalid run parameters for demo"
    )
