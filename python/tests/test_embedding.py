"""The loader a self-contained DAG file uses: the package imported from source text in memory."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import pytest

from updraft_airflow.embedding import load_package

PACKAGE = Path(__file__).parents[1] / "updraft_airflow"


def sources() -> dict[str, str]:
    return {str(p.relative_to(PACKAGE)): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}


def test_the_gate_evaluator_runs_from_memory_under_another_package_name(tmp_path: Path) -> None:
    # GIVEN the package's sources as text WHEN loaded as package "updraft_airflow_test1"
    module = load_package("updraft_airflow_test1", sources(), "gates.evaluate", "test.py")
    # THEN its modules import each other by relative imports and evaluate a gate
    (tmp_path / "m.json").write_text('{"loss": 0.5}')
    gate = {"metrics": ["m.json"], "severity": "block", "rules": [{"metric": "loss", "op": "<", "value": 1}]}
    result = module.evaluate_gate("g", gate, {}, str(tmp_path))
    assert result["verdict"] == "PASS"
    assert module.__name__ == "updraft_airflow_test1.gates.evaluate"
    assert "updraft_airflow_test1.gates.values" in sys.modules
    # AND loading again reuses the same modules
    assert load_package("updraft_airflow_test1", sources(), "gates.evaluate") is module


def test_a_module_not_embedded_is_not_found_and_tracebacks_show_embedded_lines() -> None:
    only = {"__init__.py": "", "boom.py": "def boom() -> None:\n    raise ValueError('inside')\n"}
    module = load_package("updraft_airflow_test2", only, "boom", "dag.py")
    with pytest.raises(ModuleNotFoundError):
        load_package("updraft_airflow_test2", only, "gpu")
    with pytest.raises(ValueError) as error:
        module.boom()
    text = "".join(traceback.format_exception(error.value))
    assert "dag.py <boom.py>" in text and "raise ValueError('inside')" in text
