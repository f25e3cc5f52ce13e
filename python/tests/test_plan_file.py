"""The plan file of package mode, without Airflow: what builds the DAG, and the errors a team meets
when the file is missing, damaged, from `updraft plan` or from another updraft version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from updraft_airflow.plan_file import FORMAT, PlanFileError, caller_dir, pipeline_of, read_plan


def plan_file(tmp_path: Path, fmt: object = FORMAT) -> Path:
    pipeline = {"id": "demo", "plan_hash": "h1", "project_dir": "/srv/demo", "runs_dir": ".updraft/runs"}
    data = {
        "plan": {"version": 1, "hash": "h1", "stages": []},
        "airflow": {"format": fmt, "pipeline": {**pipeline, "param_names": ["n"]}, "tasks": []},
    }
    path = tmp_path / "demo.plan.json"
    path.write_text(json.dumps(data))
    return path


def test_a_relative_plan_path_resolves_against_the_dag_files_directory(tmp_path: Path) -> None:
    # GIVEN a plan file in the DAG folder WHEN it is read by its name relative to that folder
    plan_file(tmp_path)
    data = read_plan("demo.plan.json", str(tmp_path))
    # THEN the runtime's constants come from it, the plan itself kept whole for plan.json
    pipeline = pipeline_of(data, None)
    assert pipeline["project_dir"] == "/srv/demo" and pipeline["param_names"] == ["n"]
    assert json.loads(pipeline["plan_json"]) == data["plan"]
    assert pipeline_of(data, "/mnt/shared/demo")["project_dir"] == "/mnt/shared/demo"


def test_caller_dir_is_the_directory_of_the_calling_file() -> None:
    assert caller_dir(0) == str(Path(__file__).resolve().parent)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read the plan file"),
        ("{not json", "is not JSON"),
        (json.dumps({"version": 1, "stages": []}), 'no "plan" and "airflow" sections'),
    ],
)
def test_a_bad_plan_file_names_the_file_and_the_export_command(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "demo.plan.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(PlanFileError) as error:
        read_plan(str(path), "/elsewhere")
    assert expected in str(error.value) and str(path) in str(error.value)
    assert "updraft export airflow PIPELINE --mode package" in str(error.value)


def test_a_plan_file_of_another_format_asks_for_a_matching_export(tmp_path: Path) -> None:
    path = plan_file(tmp_path, fmt=FORMAT + 1)
    with pytest.raises(
        PlanFileError, match="format %d and this updraft_airflow reads format %d" % (FORMAT + 1, FORMAT)
    ):
        read_plan(str(path), str(tmp_path))


def test_a_relative_project_dir_is_refused(tmp_path: Path) -> None:
    data = read_plan(str(plan_file(tmp_path)), str(tmp_path))
    with pytest.raises(PlanFileError, match="not absolute"):
        pipeline_of(data, "relative/dir")
