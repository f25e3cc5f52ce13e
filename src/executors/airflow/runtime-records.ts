/**
 * Python text embedded in every exported DAG: the run directory and the records a task writes
 * there (run.json, attempt records, logs, gate results), in the shapes the local executor uses.
 * Standard library only; nothing here runs when Airflow imports the file.
 */
import { PY_FORMAT_NUMBER } from "../../gates/python-metrics.js";

/**
 * Imports of the generated file: Airflow 3.x names first, then Airflow 2.10's.
 *
 * @example
 * ```ts
 * const text = `${IMPORTS_PY}\n${RECORDS_PY}`;
 * ```
 */
export const IMPORTS_PY = String.raw`import datetime
import getpass
import json
import math
import os
import re
import signal
import socket
import subprocess
import threading
import time

try:  # Airflow 3.x
    from airflow.sdk import DAG, BaseOperator, Param
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.models.baseoperator import BaseOperator
    from airflow.models.param import Param
try:  # Airflow 3.x, where the task SDK owns the exceptions a task raises
    from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowTaskTimeout
except ImportError:  # Airflow 2.10
    from airflow.exceptions import AirflowException, AirflowFailException, AirflowTaskTimeout
try:  # Airflow 3.3+: a retry policy sets each retry's delay exactly
    from airflow.sdk import RetryDecision, RetryPolicy
except ImportError:
    RetryDecision = RetryPolicy = None
from airflow import __version__ as _airflow_version

AIRFLOW_VERSION = tuple(int(x) for x in re.findall(r"\d+", _airflow_version)[:2])
`;

/**
 * Run directory, records and text conversion helpers (Python).
 *
 * @example
 * ```ts
 * expect(RECORDS_PY).toContain("def open_run(");
 * ```
 */
export const RECORDS_PY = String.raw`def now_iso():
    """The current UTC time as JavaScript's toISOString() writes it."""
    t = datetime.datetime.now(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def js_text(value):
    """A parameter value as text, exactly as JavaScript's String(value) writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) < 10**21:
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


${PY_FORMAT_NUMBER}


def resolve(template, values):
    """A plan template (text, or a list of text and {"param": name} parts) with values filled in."""
    if isinstance(template, str):
        return template
    return "".join(p if isinstance(p, str) else js_text(values[p["param"]]) for p in template)


def in_project(path):
    return os.path.normpath(os.path.join(PROJECT_DIR, path))


def write_json(path, data):
    """Write JSON atomically: a reader sees the old file or the new one, never half of one."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def create_json(path, data):
    """Write JSON atomically unless the file exists (the first writer wins)."""
    if os.path.exists(path):
        return
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
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


def open_run(context):
    """This Airflow run's directory (made on first use) and the values its stages see."""
    params = context["params"]
    values = {name: params[name] for name in PARAM_NAMES if name in params}
    # Keyed by pipeline too: two exported DAGs of one project may see the same Airflow run id.
    run_id = "airflow-%s-%s" % tuple(re.sub(r"[^A-Za-z0-9_.-]", "_", x) for x in (PIPELINE_ID, context["run_id"]))
    runs = in_project(os.environ.get("UPDRAFT_RUNS_DIR") or RUNS_DIR)
    run_dir = os.path.join(runs, run_id)
    for sub in ("attempts", "logs", "gates"):
        os.makedirs(os.path.join(run_dir, sub), exist_ok=True)
    create_json(os.path.join(run_dir, "run.json"), {
        "version": 1,
        "executor": "airflow",
        "runId": run_id,
        "airflowRunId": context["run_id"],
        "pipelineId": PIPELINE_ID,
        "planHash": PLAN_HASH,
        "params": values,
        "host": socket.gethostname(),
        "user": getpass.getuser(),
        "start": now_iso(),
    })
    plan_path = os.path.join(run_dir, "plan.json")
    if not os.path.exists(plan_path):
        create_json(plan_path, json.loads(PLAN_JSON))
    return {"id": run_id, "dir": run_dir, "values": values, "try": int(context["ti"].try_number)}


def new_attempt(run, stage):
    """The attempt record of this try, written at once as "running"."""
    attempt = {
        "attempt": run["try"],
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


def save_attempt(run, stage, attempt):
    path = os.path.join(run["dir"], "attempts", "%s.%d.json" % (stage["id"], run["try"]))
    write_json(path, {"stage": stage["id"], "kind": stage["kind"], "attempt": attempt})


def end_attempt(run, stage, attempt, outcome, started, **fields):
    attempt.update(fields, outcome=outcome, end=now_iso())
    attempt["durationMs"] = int((time.monotonic() - started) * 1000)
    save_attempt(run, stage, attempt)
`;
