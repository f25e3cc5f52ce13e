"""The run records a task writes, without Airflow: run.json, plan.json and attempt records, in the
shapes src/records/manifest.ts reads."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from updraft_airflow.params import js_text
from updraft_airflow.records import Pipeline, end_attempt, new_attempt, open_run, resolve

N = {"name": "n", "type": "int", "default": 1, "derived": None, "env": None, "values": [], "description": None}


def pipeline(project: Path) -> Pipeline:
    return {
        "id": "demo",
        "plan_hash": "abc",
        "plan_json": json.dumps({"version": 1, "hash": "abc", "params": [N]}),
        "project_dir": str(project),
        "runs_dir": ".updraft/runs",
        "param_names": ["n"],
    }


def test_open_run_makes_the_run_directory_once_and_keeps_the_plan(tmp_path: Path) -> None:
    # GIVEN an Airflow context for a manual run whose conf gives a parameter as text
    context = {
        "params": {"n": None},
        "dag_run": SimpleNamespace(conf={"n": "3"}),
        "run_id": "manual__2024-01-01T00:00:00+00:00",
        "ti": SimpleNamespace(try_number=2),
    }
    # WHEN two tasks open the run
    first = open_run(context, pipeline(tmp_path))
    second = open_run(context, pipeline(tmp_path))
    # THEN both see one directory keyed by the run id, the plan's values and their try number
    assert first == second
    assert first.id == "airflow-demo-manual__2024-01-01T00_00_00_00_00"
    assert first.values == {"n": 3} and first.try_number == 2
    run = json.loads((Path(first.dir) / "run.json").read_text())
    assert run["executor"] == "airflow" and run["pipelineId"] == "demo" and run["params"] == {"n": 3}
    assert run["paramSources"] == {"n": "dag_run.conf"}
    assert json.loads((Path(first.dir) / "plan.json").read_text())["hash"] == "abc"


def test_an_attempt_is_written_running_then_closed(tmp_path: Path) -> None:
    context = {"params": {}, "run_id": "r1", "ti": SimpleNamespace(try_number=1)}
    run = open_run(context, pipeline(tmp_path))
    stage = {"id": "train", "kind": "task"}
    attempt = new_attempt(run, stage)
    path = Path(run.dir) / "attempts" / "train.1.json"
    assert json.loads(path.read_text())["attempt"]["outcome"] == "running"
    end_attempt(run, stage, attempt, "failed", 0.0, exitCode=3)
    record = json.loads(path.read_text())
    assert record["stage"] == "train" and record["attempt"]["outcome"] == "failed"
    assert record["attempt"]["exitCode"] == 3 and record["attempt"]["end"] is not None


def test_values_print_as_javascript_prints_them() -> None:
    assert [js_text(v) for v in (True, 512, 0.0006, 1e21, "x")] == ["true", "512", "0.0006", "1e+21", "x"]
    assert resolve(["out/", {"param": "n"}, ".txt"], {"n": 2.0}) == "out/2.txt"
