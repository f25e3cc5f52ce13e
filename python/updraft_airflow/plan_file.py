"""The plan JSON of package mode (`updraft export airflow --mode package` writes `<dag_id>.plan.json`):
read, checked and turned into the runtime's pipeline constants. Standard library only, so its errors are
tested without Airflow."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from .records import Pipeline

# The version of the "airflow" section this package reads; the exporter writes the same number.
FORMAT = 1
EXPORT = "updraft export airflow PIPELINE --mode package --out DIR"


class PlanFileError(ValueError):
    """The plan file cannot build a DAG: the message names the file, the problem and the fix."""


def caller_dir(depth: int) -> str:
    """The directory of the file `depth` frames up (the DAG file), where relative plan paths resolve."""
    where = sys._getframe(depth + 1).f_globals.get("__file__")
    return os.path.dirname(os.path.abspath(where)) if isinstance(where, str) else os.getcwd()


def read_plan(path: str, base: str) -> dict[str, Any]:
    """The plan file at `path` (relative paths against `base`): {"plan": Plan, "airflow": how to run it}."""
    full = path if os.path.isabs(path) else os.path.join(base, path)
    try:
        with open(full, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as error:
        raise PlanFileError(
            "cannot read the plan file %s (%s): write it beside the DAG file with `%s`"
            % (full, error.strerror or error, EXPORT)
        ) from None
    except ValueError as error:
        raise PlanFileError(
            "the plan file %s is not JSON (%s): export it again with `%s`" % (full, error, EXPORT)
        ) from None
    spec = data.get("airflow") if isinstance(data, dict) else None
    if not isinstance(spec, dict) or not isinstance(data.get("plan"), dict):
        raise PlanFileError(
            '%s has no "plan" and "airflow" sections: it is not from `%s` (a plan from `updraft plan` lacks how'
            " Airflow runs it); export it with that command" % (full, EXPORT)
        )
    if spec.get("format") != FORMAT:
        raise PlanFileError(
            "%s is in format %r and this updraft_airflow reads format %d: export it again with the updraft that"
            " matches this package, or install the package from that updraft's python/ directory"
            % (full, spec.get("format"), FORMAT)
        )
    plan_file: dict[str, Any] = data
    return plan_file


def pipeline_of(data: dict[str, Any], project_dir: str | None) -> Pipeline:
    """The runtime's constants for the plan's tasks; `project_dir` replaces the one given at export."""
    spec = data["airflow"]["pipeline"]
    if project_dir is not None and not os.path.isabs(project_dir):
        raise PlanFileError("project_dir %r is not absolute: give the absolute path of the project" % project_dir)
    return Pipeline(
        id=spec["id"],
        plan_hash=spec["plan_hash"],
        plan_json=json.dumps(data["plan"], ensure_ascii=False),
        project_dir=project_dir or spec["project_dir"],
        runs_dir=spec["runs_dir"],
        param_names=list(spec["param_names"]),
    )
