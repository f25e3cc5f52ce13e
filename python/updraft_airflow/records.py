"""The run directory and the records a task writes there (run.json, plan.json, attempt records), in
the shapes the local executor writes. Standard library only."""

from __future__ import annotations

import getpass
import json
import os
import re
import socket
import time
from dataclasses import dataclass
from typing import Any, TypedDict

from .gates.values import now_iso
from .params import format_problems, js_text, resolve_params


class Pipeline(TypedDict):
    """What every task of an exported pipeline shares: written once per DAG file, from the Plan."""

    id: str
    plan_hash: str
    plan_json: str
    project_dir: str
    runs_dir: str
    param_names: list[str]


@dataclass
class Run:
    """This Airflow run as a task sees it: its updraft run id and directory, values and try number."""

    id: str
    dir: str
    values: dict[str, Any]
    try_number: int
    project_dir: str


def resolve(template: str | list[Any], values: dict[str, Any]) -> str:
    """A plan template (text, or a list of text and {"param": name} parts) with values filled in."""
    if isinstance(template, str):
        return template
    return "".join(p if isinstance(p, str) else js_text(values[p["param"]]) for p in template)


def is_set(value: Any) -> bool:
    """Whether a value keeps its optional argv items (isSet in src/planner/template.ts)."""
    return value is not None and value is not False and value != ""


def resolve_argv(argv: list[Any], values: dict[str, Any]) -> list[str]:
    """An argv with values filled in; an optional group ({"optional": name, "argv": [...]}) only
    where its parameter is set, as resolveArgv in src/planner/template.ts."""
    out: list[str] = []
    for arg in argv:
        if isinstance(arg, dict):
            if is_set(values.get(arg["optional"])):
                out.extend(resolve(a, values) for a in arg["argv"])
        else:
            out.append(resolve(arg, values))
    return out


def in_project(project_dir: str, path: str) -> str:
    return os.path.normpath(os.path.join(project_dir, path))


def _dump(path: str, data: Any) -> str:
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return tmp


def write_json(path: str, data: Any) -> None:
    """Write JSON atomically: a reader sees the old file or the new one, never half of one."""
    os.replace(_dump(path, data), path)


def create_json(path: str, data: Any) -> None:
    """Write JSON atomically unless the file exists (the first writer wins)."""
    if os.path.exists(path):
        return
    tmp = _dump(path, data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    except OSError:  # no hard links on this file system: exclusive create instead
        try:
            with open(path, "x", encoding="utf-8") as f, open(tmp, encoding="utf-8") as src:
                f.write(src.read())
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


class InvalidParams(Exception):
    """The run's parameters do not resolve: the message is updraft run's (exit 2), nothing has run."""


def run_values(context: Any, pipeline: Pipeline) -> tuple[dict[str, Any], dict[str, str]]:
    """The run's parameter values and their sources, resolved on this worker as `updraft run` resolves
    them: dag_run.conf (a null counts as not given), UPDRAFT_PARAM_<NAME>, the parameter's variable, the
    default. Unknown conf keys, wrong types and missing values raise InvalidParams."""
    dag_run = context.get("dag_run")
    conf = getattr(dag_run, "conf", None) or {}
    plan = json.loads(pipeline["plan_json"])
    stages = plan.get("stages")
    values, sources, problems = resolve_params(plan["params"], os.environ, conf, "dag_run.conf", stages=stages)
    if problems:
        raise InvalidParams(format_problems(problems, pipeline["id"]))
    return values, sources


def open_run(context: Any, pipeline: Pipeline) -> Run:
    """This Airflow run's directory (made on first use) and the values its stages see."""
    values, sources = run_values(context, pipeline)
    # Keyed by pipeline too: two exported DAGs of one project may see the same Airflow run id.
    run_id = "airflow-%s-%s" % tuple(re.sub(r"[^A-Za-z0-9_.-]", "_", x) for x in (pipeline["id"], context["run_id"]))
    project = pipeline["project_dir"]
    runs = in_project(project, os.environ.get("UPDRAFT_RUNS_DIR") or pipeline["runs_dir"])
    run_dir = os.path.join(runs, run_id)
    for sub in ("attempts", "logs", "gates"):
        os.makedirs(os.path.join(run_dir, sub), exist_ok=True)
    record = {
        "version": 1,
        "executor": "airflow",
        "runId": run_id,
        "airflowRunId": context["run_id"],
        "pipelineId": pipeline["id"],
        "planHash": pipeline["plan_hash"],
        "params": values,
        "paramSources": sources,
        "host": socket.gethostname(),
        "user": getpass.getuser(),
        "start": now_iso(),
    }
    create_json(os.path.join(run_dir, "run.json"), record)
    plan_path = os.path.join(run_dir, "plan.json")
    if not os.path.exists(plan_path):
        create_json(plan_path, json.loads(pipeline["plan_json"]))
    return Run(run_id, run_dir, values, int(context["ti"].try_number), project)


def new_attempt(run: Run, stage: dict[str, Any]) -> dict[str, Any]:
    """The attempt record of this try, written at once as "running"."""
    attempt: dict[str, Any] = {
        "attempt": run.try_number,
        "start": now_iso(),
        "end": None,
        "exitCode": None,
        "signal": None,
        "durationMs": None,
        "outcome": "running",
        "log": None,
        "gpus": [],
        "gpuWaitMs": 0,
        "retryDelayMs": None,
    }
    save_attempt(run, stage, attempt)
    return attempt


def save_attempt(
    run: Run, stage: dict[str, Any], attempt: dict[str, Any], outputs: list[dict[str, Any]] | None = None
) -> None:
    """The attempt's file; a successful one also lists the stage's outputs ({path, size, sha256}, as locally)."""
    path = os.path.join(run.dir, "attempts", "%s.%d.json" % (stage["id"], run.try_number))
    record: dict[str, Any] = {"stage": stage["id"], "kind": stage["kind"], "attempt": attempt}
    if outputs is not None:
        record["outputs"] = outputs
    write_json(path, record)


def end_attempt(
    run: Run,
    stage: dict[str, Any],
    attempt: dict[str, Any],
    outcome: str,
    started: float,
    outputs: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> None:
    """Close the attempt record: its outcome, end time, duration (from `started`, monotonic) and fields."""
    attempt.update(fields, outcome=outcome, end=now_iso())
    attempt["durationMs"] = int((time.monotonic() - started) * 1000)
    save_attempt(run, stage, attempt, outputs)
