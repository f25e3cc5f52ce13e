"""Package mode: an Airflow DAG, or a task group inside a team's own DAG, built at parse time from the
plan file `updraft export airflow --mode package` writes. The tasks are the operators the
self-contained DAG file creates, with the same arguments, so both modes run a stage the same way.

    from updraft_airflow.package import UpdraftDag
    dag = UpdraftDag(plan="rwkv.plan.json")            # relative to this DAG file

    with DAG("team_nightly", ...) as dag:
        fetch = BashOperator(task_id="fetch", bash_command="...")
        fetch >> UpdraftTaskGroup(plan="rwkv.plan.json") >> BashOperator(task_id="publish", ...)
"""

from __future__ import annotations

import datetime
from typing import Any

from .compat import DAG, Param
from .operator import UpdraftStage
from .plan_file import caller_dir, pipeline_of, read_plan
from .retry import retry_args

try:  # Airflow 3.x
    from airflow.sdk import TaskGroup
except ImportError:  # Airflow 2.10
    from airflow.utils.task_group import TaskGroup

__all__ = ["UpdraftDag", "UpdraftTaskGroup"]


def _params(spec: dict[str, Any]) -> dict[str, Any]:
    """The run parameters as Airflow Params, as the self-contained file writes them: empty (the worker's
    variables and the default apply) or text accepted, so the worker resolves and checks every value
    as `updraft run` does."""
    params: dict[str, Any] = {}
    for p in spec["params"]:
        kwargs: dict[str, Any] = {"type": p["types"], "description": p["description"]}
        if p["examples"] is not None:
            kwargs["examples"] = p["examples"]
        params[p["name"]] = Param(None, **kwargs)
    return params


def _start_date(fields: list[int]) -> datetime.datetime:
    """The DAG's start date from the exporter's UTC fields [year, month, day(, hour, minute, second)]."""
    y, m, d, hh, mm, ss = [*fields, 0, 0, 0][:6]
    return datetime.datetime(y, m, d, hh, mm, ss, tzinfo=datetime.timezone.utc)


def _tasks(data: dict[str, Any], project_dir: str | None, **common: Any) -> dict[str, Any]:
    """One UpdraftStage per stage, wired as in the plan, in the DAG or task group being defined."""
    pipeline = pipeline_of(data, project_dir)
    tasks: dict[str, Any] = {}
    for t in data["airflow"]["tasks"]:
        kwargs: dict[str, Any] = dict(common)
        if t["doc_md"] is not None:
            kwargs["doc_md"] = t["doc_md"]
        if t["queue"] is not None:
            kwargs["queue"] = t["queue"]
        if t["timeout_seconds"] is not None:
            kwargs["execution_timeout"] = datetime.timedelta(seconds=t["timeout_seconds"])
        if t["pool"] is not None:
            kwargs.update(pool=t["pool"], pool_slots=t["pool_slots"])
        r = t["retry"]
        kwargs.update(retry_args(r["retries"], r["delays"], multiplier=r["multiplier"], max_delay=r["max_delay"]))
        tasks[t["task_id"]] = UpdraftStage(task_id=t["task_id"], stage=t["stage"], pipeline=pipeline, **kwargs)
    for t in data["airflow"]["tasks"]:
        for up in t["depends_on"]:
            tasks[up] >> tasks[t["task_id"]]
    return tasks


def UpdraftDag(plan: str, *, project_dir: str | None = None, **dag_args: Any) -> Any:
    """The pipeline as a DAG, from its plan file (a path relative to the calling DAG file, or absolute).

    `project_dir` replaces the project directory given at export; `dag_args` override the DAG's
    arguments (dag_id, schedule, default_args, ...)."""
    data = read_plan(plan, caller_dir(1))
    spec = data["airflow"]
    args: dict[str, Any] = {
        "dag_id": spec["dag_id"],
        "doc_md": spec["doc_md"],
        "schedule": spec["schedule"],
        "start_date": _start_date(spec["start_date"]),
        "catchup": spec["catchup"],
        "max_active_runs": spec["max_active_runs"],
        "tags": spec["tags"],
        "params": _params(spec),
    }
    if spec["description"] is not None:
        args["description"] = spec["description"]
    if spec["owner"] is not None:
        args["default_args"] = {"owner": spec["owner"]}
    args.update(dag_args)
    with DAG(**args) as dag:
        _tasks(data, project_dir)
    return dag


def UpdraftTaskGroup(
    plan: str, *, group_id: str | None = None, project_dir: str | None = None, **group_args: Any
) -> Any:
    """The pipeline as a task group of the DAG being defined (next to the team's own tasks).

    The group's tasks carry the pipeline's parameters with their defaults; a run's conf overrides them
    as in the pipeline's own DAG. Stage ids stay the plan's (Airflow shows them as `<group_id>.<stage>`)."""
    data = read_plan(plan, caller_dir(1))
    spec = data["airflow"]
    if spec["description"] is not None:
        group_args.setdefault("tooltip", spec["description"])
    with TaskGroup(group_id=group_id or spec["dag_id"], **group_args) as group:
        _tasks(data, project_dir, params=_params(spec))
    return group
