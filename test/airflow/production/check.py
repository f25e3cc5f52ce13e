"""The production proof's assertions (run by run.sh with the Airflow venv's python; services running).

Runs are triggered through the REST API with conf (Airflow 3: /api/v2 with a token; 2.10: /api/v1 with
basic auth); outcomes are read from PostgreSQL (task_instance,
task_instance_history), from the project directory and run records on disk, and from `ps`.
Last line: "production: N passed, M failed".
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg2

API = os.environ["AIRFLOW_API"]
V2 = os.environ.get("AIRFLOW_LINE", "3") == "3"
REST = "/api/v2" if V2 else "/api/v1"
WORK = Path(os.environ["PROD_WORK"])
PROJECT = WORK / "project"
results: list[tuple[str, bool, str]] = []
token = ""


def call(method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(API + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", token)
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.loads(res.read() or b"null")


def wait(what: str, test: Callable[[], Any], timeout: float = 300) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = test()
            if value:
                return value
        except Exception:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("timed out waiting for " + what)
        time.sleep(1)


def check(name: str, ok: bool, detail: str) -> None:
    results.append((name, ok, detail))
    print("%s %s: %s" % ("PASS" if ok else "FAIL", name, detail), flush=True)


def trigger(dag: str, conf: dict[str, Any] | None = None) -> str:
    body: dict[str, Any] = {"conf": conf or {}}
    if V2:
        body["logical_date"] = None
    run: dict[str, Any] = call("POST", REST + "/dags/%s/dagRuns" % dag, body)
    return str(run["dag_run_id"])


def finished(dag: str, run_id: str, timeout: float = 300) -> str:
    def state() -> str | None:
        s = call("GET", REST + "/dags/%s/dagRuns/%s" % (dag, run_id))["state"]
        return str(s) if s in ("success", "failed") else None

    return str(wait("%s %s to finish" % (dag, run_id), state, timeout))


def db(sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg2.connect(os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].replace("+psycopg2", "")) as conn:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return list(cur.fetchall())


def alive(pid: int) -> bool:
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def gpu_runs_never_overlap() -> None:
    runs = [trigger("uf_prod_gpu", {"tag": tag}) for tag in ("r1", "r2")]
    states = [finished("uf_prod_gpu", r) for r in runs]
    check("gpu: both runs succeed", states == ["success", "success"], str(states))
    rows = db(
        "SELECT run_id, task_id, start_date, end_date FROM task_instance WHERE dag_id = 'uf_prod_gpu' AND start_date IS NOT NULL AND end_date IS NOT NULL"
    )
    spans = sorted((r[2].timestamp(), r[3].timestamp(), r[0], r[1]) for r in rows)
    overlaps = [(a, b) for a, b in zip(spans, spans[1:]) if b[0] < a[1]]
    check(
        "gpu: task instances in the database never overlap (pool of 1)",
        len(spans) == 4 and not overlaps,
        "%d spans, overlaps %s" % (len(spans), overlaps),
    )
    lines = (PROJECT / "gpu.times").read_text().split()
    stamps = sorted((float(lines[i + 2]), float(lines[i + 3]), lines[i]) for i in range(0, len(lines), 4))
    disk = [(a, b) for a, b in zip(stamps, stamps[1:]) if b[0] < a[1]]
    tags = sorted({s[2] for s in stamps})
    concurrent = db(
        "SELECT count(*) FROM dag_run a JOIN dag_run b ON a.id < b.id AND a.dag_id = b.dag_id WHERE a.dag_id = 'uf_prod_gpu' AND a.start_date < b.end_date AND b.start_date < a.end_date"
    )
    check(
        "gpu: commands never overlap on disk; each run got its conf; the runs were active together",
        not disk and tags == ["r1", "r2"] and concurrent[0][0] == 1,
        "overlaps %s, tags %s, concurrent run pairs %s" % (disk, tags, concurrent[0][0]),
    )


def retries_wait_the_planned_delays() -> None:
    run = trigger("uf_prod_retry")
    check("retry: run succeeds after two failures", finished("uf_prod_retry", run) == "success", run)
    tries = db(
        "SELECT try_number, start_date, end_date FROM task_instance_history WHERE dag_id = 'uf_prod_retry' AND run_id = %s UNION ALL SELECT try_number, start_date, end_date FROM task_instance WHERE dag_id = 'uf_prod_retry' AND run_id = %s ORDER BY 1",
        run,
        run,
    )
    gaps = [round(b[1].timestamp() - a[2].timestamp(), 2) for a, b in zip(tries, tries[1:])]
    # Planned: 3 s after each failed try ends (no backoff, so no jitter); the scheduler loop adds a little.
    check(
        "retry: each retry starts 3 s or a little more after the failed try ended",
        [t[0] for t in tries] == [1, 2, 3] and all(3 <= g <= 15 for g in gaps),
        "tries %s, gaps %s s" % ([t[0] for t in tries], gaps),
    )


def stopped_task_kills_its_group() -> None:
    run = trigger("uf_prod_stop")
    pids = [int(p) for p in wait("stop.pids", lambda: (PROJECT / "stop.pids").read_text().split(), 240)]
    body: dict[str, Any] = {"new_state": "failed"} if V2 else {"new_state": "failed", "dry_run": False}
    call("PATCH", REST + "/dags/uf_prod_stop/dagRuns/%s/taskInstances/long" % run, body)
    gone = wait("the stage's processes to end", lambda: not any(alive(p) for p in pids) or None, 60)
    # A zombie (state Z: ended, not yet reaped by its parent) runs nothing and holds nothing.
    ps = subprocess.run(["ps", "-eo", "pid,stat,args"], capture_output=True, text=True).stdout
    left = [line for line in ps.splitlines() if re.match(r"\s*(%s)\s+[^Z\s]" % "|".join(map(str, pids)), line)]
    check(
        "stop: state set to failed through the API kills the whole process group (ps shows none)",
        bool(gone) and not left,
        "pids %s, left %s" % (pids, left),
    )
    check("stop: the run ends failed", finished("uf_prod_stop", run, 120) == "failed", run)


def sigkilled_task_is_retried() -> None:
    run = trigger("uf_prod_crash")
    pid = int(wait("crash.pid", lambda: (PROJECT / "crash.pid").read_text().strip(), 240))
    os.kill(pid, signal.SIGKILL)
    state = finished("uf_prod_crash", run, 300)
    tries = db("SELECT try_number, state FROM task_instance WHERE dag_id = 'uf_prod_crash' AND run_id = %s", run)
    check(
        "crash: Airflow notices the SIGKILLed task process and the retry succeeds",
        state == "success" and tries[0][0] == 2,
        "state %s, task %s" % (state, tries),
    )
    records = sorted((PROJECT / ".updraft" / "runs").glob("airflow-uf_prod_crash-*/attempts/victim.*.json"))
    parsed = [json.loads(p.read_text())["attempt"]["outcome"] for p in records]
    check(
        "crash: the audit records stay readable and say the killed try failed",
        parsed == ["failed", "success"],
        "outcomes %s" % parsed,
    )
    # The killed try's command ran in its own session: the runtime's guard stopped it.
    orphans = subprocess.run(["pgrep", "-f", "^sleep 600$"], capture_output=True, text=True).stdout.split()
    check("crash: no process of the killed try is left (ps)", not orphans, "left %s" % (orphans or "none"))
    for p in orphans:
        os.kill(int(p), signal.SIGKILL)


def sigkilled_task_without_retry_fails() -> None:
    run = trigger("uf_prod_crash_final")
    task_pid, stage_pid = map(int, wait("crash_final.pids", lambda: (PROJECT / "crash_final.pids").read_text().split(), 240))
    os.kill(task_pid, signal.SIGKILL)
    state = finished("uf_prod_crash_final", run, 300)
    tries = db("SELECT try_number, state FROM task_instance WHERE dag_id = 'uf_prod_crash_final' AND run_id = %s", run)
    check(
        "crash, no retry left: Airflow notices the SIGKILLed task process and fails the task and the run",
        state == "failed" and [tuple(t) for t in tries] == [(1, "failed")],
        "state %s, task %s" % (state, tries),
    )
    gone = wait("the stage's process to end", lambda: not alive(stage_pid) or None, 60)
    check("crash, no retry left: the stage's process does not outlive the task (ps)", bool(gone), "pid %d" % stage_pid)
    runs = PROJECT / ".updraft" / "runs"

    def records() -> list[dict[str, Any]]:
        return [json.loads(p.read_text())["attempt"] for p in runs.glob("airflow-uf_prod_crash_final-*/attempts/last.*.json")]

    # The guard closes the record once the stage's processes are gone: give it a moment.
    wait("the attempt record to be closed", lambda: all(r["outcome"] != "running" for r in records()), 30)
    closed = records()
    logs = "".join(p.read_text() for p in runs.glob("airflow-uf_prod_crash_final-*/logs/last.1.log"))
    check(
        "crash, no retry left: the audit record is readable and says the attempt failed; the stage log says why",
        [(r["attempt"], r["outcome"]) for r in closed] == [(1, "failed")] and "task process died" in logs,
        "records %s, log %r" % ([(r["attempt"], r["outcome"], r["end"]) for r in closed], logs[-200:]),
    )


HOST_GPUS = {"host-a": 1, "host-b": 2, "host-c": 0}  # the workers run.sh starts in celery mode
QUEUE_HOST = {"gpu_a": "host-a", "gpu_b": "host-b"}


def celery_export_sizes_the_pool() -> None:
    said = (WORK / "export-report.txt").read_text()
    pools = json.loads((WORK / "dags" / "uf_prod_hosts.pools.json").read_text())
    in_db = db("SELECT slots FROM slot_pool WHERE pool = 'gpu'")
    check(
        "celery: the export says to size the pool for the hosts; sized so (--pool-slots 3), Airflow has it",
        "gpu-pool-hosts [on_a, on_b]" in said
        and "--pool-slots set to the GPUs of all the hosts" in said
        and pools["gpu"]["slots"] == sum(HOST_GPUS.values())
        and in_db == [(3,)],
        "report %r, pools file %s, in the database %s" % (said.strip()[:120], pools["gpu"]["slots"], in_db),
    )


def celery_routes_gpu_stages_by_queue() -> None:
    runs = [trigger("uf_prod_hosts") for _ in range(2)]
    states = [finished("uf_prod_hosts", r, 400) for r in runs]
    check("celery: both runs of the two-host pipeline succeed", states == ["success", "success"], str(states))
    rows = db(
        "SELECT run_id, task_id, queue, hostname, pool_slots, start_date, end_date FROM task_instance WHERE dag_id = 'uf_prod_hosts'"
    )
    gpu = [r for r in rows if r[1] != "cpu"]
    routed = all(r[3] == QUEUE_HOST.get(r[2]) for r in gpu) and {r[2] for r in gpu} == {"gpu_a", "gpu_b"}
    cpu = [r for r in rows if r[1] == "cpu"]
    check(
        "celery: each GPU task ran on the worker of its queue (task_instance.queue, .hostname); CPU tasks on default",
        len(gpu) == 4 and routed and all(r[2] == "default" and r[3] in HOST_GPUS for r in cpu),
        "%s" % sorted((r[1], r[2], r[3]) for r in rows),
    )
    check(
        "celery: no GPU task landed on a host with fewer GPUs than it needs, nor on host-c, which has none",
        all(HOST_GPUS.get(r[3], 0) >= r[4] for r in gpu),
        "%s" % sorted((r[1], r[3], r[4]) for r in gpu),
    )
    # hosts.log: stage, host, lease dir, UPDRAFT_GPUS, CUDA_VISIBLE_DEVICES, start, end (as the stage saw them).
    seen = [line.split() for line in (PROJECT / "hosts.log").read_text().splitlines()]
    on_host = all(
        s[1] == QUEUE_HOST["gpu_a" if s[0] == "on_a" else "gpu_b"]
        and s[2].endswith("leases-" + s[1])
        and int(s[3]) == HOST_GPUS[s[1]]
        and len(s[4].split(",")) == (1 if s[0] == "on_a" else 2)
        for s in seen
        if s[0] != "cpu"
    )
    spans = {s[0]: [] for s in seen}  # type: dict[str, list[tuple[float, float]]]
    for s in seen:
        spans[s[0]].append((float(s[5]), float(s[6])))
    both = any(a[0] < b[1] and b[0] < a[1] for a in spans.get("on_a", []) for b in spans.get("on_b", []))
    per_host = all(
        not (x[0] < y[1] and y[0] < x[1])
        for stage in ("on_a", "on_b")
        for i, x in enumerate(spans.get(stage, []))
        for y in spans.get(stage, [])[i + 1 :]
    )
    check(
        "celery: on disk each GPU stage saw its host's lease dir, GPU count and devices; both hosts ran at once",
        len(seen) == 6 and on_host and both,
        "%s" % [" ".join(s[:5]) for s in seen],
    )
    check(
        "celery: a host never ran more GPU stages at once than its GPUs (host-a: 1; host-b: 2 per stage)",
        per_host,
        "spans %s" % {k: [(round(a % 1000, 1), round(b % 1000, 1)) for a, b in v] for k, v in spans.items()},
    )


def parse_times() -> None:
    # Airflow 2.10's scheduler runs the DAG file processor manager, which logs to a file of its own.
    logs = [WORK / "logs" / "dag-processor.log"]
    if not V2:
        logs = [WORK / "home" / "logs" / "dag_processor_manager" / "dag_processor_manager.log", WORK / "logs" / "scheduler.log"]
    log = "".join(p.read_text(errors="replace") for p in logs if p.exists())
    found = {
        m.group(1): float(m.group(2)) for m in re.finditer(r"(uf_prod_\w+)\.py\s+\d*\s+\S*\s+\S*\s+(\d+\.\d+)s", log)
    }
    check(
        "parse: the dag-processor parses each exported DAG in under 30 s",
        len(found) == 5 and max(found.values()) < 30,
        "last runtimes %s" % found,
    )


def main() -> None:
    global token
    t0 = time.monotonic()
    if V2:
        wait("the api-server", lambda: call("GET", "/api/v2/monitor/health"), 420)
        token = "Bearer " + call("GET", "/auth/token")["access_token"]
    else:
        token = "Basic " + base64.b64encode(b"updraft:updraft").decode()
        wait("the webserver", lambda: call("GET", "/api/v1/health"), 420)
    celery = os.environ.get("PROD_EXECUTOR") == "celery"
    dags = ["uf_prod_hosts"] if celery else ["uf_prod_gpu", "uf_prod_retry", "uf_prod_stop", "uf_prod_crash", "uf_prod_crash_final"]
    wait("the DAGs to be parsed", lambda: all(call("GET", REST + "/dags/" + d)["dag_id"] for d in dags), 420)
    if celery:  # both hosts take work from the start, or "both at once" would measure start-up
        logs = [WORK / "logs" / ("worker-%s.log" % h) for h in HOST_GPUS]
        wait("the Celery workers", lambda: all("ready." in p.read_text(errors="replace") for p in logs), 420)
    print("services up and DAGs parsed after %.0f s" % (time.monotonic() - t0), flush=True)
    steps = (
        (celery_export_sizes_the_pool, celery_routes_gpu_stages_by_queue)
        if celery
        else (
            gpu_runs_never_overlap,
            retries_wait_the_planned_delays,
            stopped_task_kills_its_group,
            sigkilled_task_is_retried,
            sigkilled_task_without_retry_fails,
            parse_times,
        )
    )
    for step in steps:
        started = time.monotonic()
        try:
            step()
        except Exception as error:
            check(step.__name__, False, "%s: %s" % (type(error).__name__, error))
        print("  (%s: %.0f s)" % (step.__name__, time.monotonic() - started), flush=True)
    failed = sum(1 for r in results if not r[1])
    print("production: %d passed, %d failed" % (len(results) - failed, failed))


if __name__ == "__main__":
    main()
