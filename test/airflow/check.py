"""The conformance suite's checker: run every case of cases.json with one executor, then assert
the outcomes from that executor's own records.

  airflow: python check.py airflow WORK   (with Airflow's python; AIRFLOW_HOME set up by run.sh)
           runs `airflow dags test`, reads TaskInstance rows from Airflow's metadata DB
  local:   python3 check.py local WORK    runs `updraft run`, reads the run's manifest.json

Both then check the same files, logs and run records. Prints one line per check and, last,
"<label>: N passed, M failed".
"""
import base64
import datetime
import glob
import hashlib
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AIRFLOW_STATE = {"success": "success", "failed": "failed", "upstream_failed": "upstream_failed", "blocked": "upstream_failed"}
# Cases of a mode only the exported DAG has (updraft run has no pool to stand for the lease).
AIRFLOW_ONLY = {"gpu-pool-only": "UPDRAFT_GPU_LEASE=pool makes the Airflow pool the GPU lease"}
ATTEMPT_KEYS = {"attempt", "start", "end", "exitCode", "signal", "durationMs", "outcome", "log", "gpus", "gpuWaitMs", "retryDelayMs"}


class Checks:
    def __init__(self, label):
        self.label, self.passed, self.failed = label, 0, 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print("  ok    %s" % what)
        else:
            self.failed += 1
            print("  FAIL  %s%s" % (what, (": " + detail) if detail else ""))
        return ok


def ms(iso):
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000


def run_airflow(case, index, work):
    """Run the case with `airflow dags test`; return {stage: (state, tries)} and the run directory."""
    from airflow.models import DagRun, TaskInstance
    from airflow.utils.session import create_session

    date = (datetime.datetime(2024, 2, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(days=index)).isoformat()
    cmd = [os.path.join(os.path.dirname(sys.executable), "airflow"), "dags", "test", case["dag_id"], date]
    if case["params"]:
        cmd += ["-c", json.dumps(case["params"])]
    env = dict(os.environ, **case["env"])
    with open(os.path.join(work, "logs", case["name"] + ".log"), "wb") as log:
        subprocess.run(cmd, env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT, check=False)
    with create_session() as session:
        run = session.query(DagRun).filter(DagRun.dag_id == case["dag_id"]).order_by(DagRun.id.desc()).first()
        if run is None:
            return None, None
        tis = session.query(TaskInstance).filter(TaskInstance.dag_id == case["dag_id"], TaskInstance.run_id == run.run_id).all()
        states = {ti.task_id: (str(getattr(ti.state, "value", ti.state)), ti.try_number) for ti in tis}
        run_id = run.run_id
        try:
            from airflow.models.xcom import XComModel as XCom
        except ImportError:
            from airflow.models.xcom import BaseXCom as XCom
        case["xcom_rows"] = session.query(XCom).filter(XCom.dag_id == case["dag_id"], XCom.run_id == run_id).count()
    return states, records_dir(case["runs_dir"], run_id)


def records_dir(runs_dir, run_id):
    """The run's record directory: the one whose run.json names run_id (airflow-<pipeline>-<run id>/)."""
    for name in sorted(os.listdir(runs_dir)) if os.path.isdir(runs_dir) else []:
        try:
            with open(os.path.join(runs_dir, name, "run.json"), encoding="utf-8") as f:
                if json.load(f).get("airflowRunId") == run_id:
                    return os.path.join(runs_dir, name)
        except (OSError, ValueError):
            continue
    safe = "".join(c if (c.isascii() and c.isalnum()) or c in "_.-" else "_" for c in run_id)
    return os.path.join(runs_dir, "airflow-" + safe)


def run_local(case, work):
    """Run the case with `updraft run`; return {stage: (status, attempts)} and the run directory."""
    params = os.path.join(work, "logs", case["name"] + ".params.json")
    with open(params, "w", encoding="utf-8") as f:
        json.dump(case["params"], f)
    runs = case["runs_dir"]
    # Hidden entries (.locks, the maxActiveRuns slots) are not runs.
    before = set(os.listdir(runs)) if os.path.isdir(runs) else set()
    cmd = [os.path.join(ROOT, "node_modules", ".bin", "tsx"), os.path.join(ROOT, "src", "cli", "bin.ts"), "run", case["pipeline_file"], "--params", params]
    env = dict(os.environ, NO_COLOR="1", **case["env"])
    with open(os.path.join(work, "logs", case["name"] + ".log"), "wb") as log:
        done = subprocess.run(cmd, env=env, cwd=case["project_dir"], stdout=log, stderr=subprocess.STDOUT, check=False)
    case["exit_code"] = done.returncode
    new = sorted(n for n in set(os.listdir(runs)) - before if not n.startswith(".")) if os.path.isdir(runs) else []
    if len(new) != 1:
        return None, None
    run_dir = os.path.join(runs, new[0])
    with open(os.path.join(run_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    return {s["id"]: (s["status"], len(s["attempts"])) for s in manifest["stages"]}, run_dir


def read_attempt(run_dir, stage, n, manifest):
    """Attempt n of a stage: from the Airflow audit record, or the local manifest."""
    if manifest is not None:
        record = next(s for s in manifest["stages"] if s["id"] == stage)
        return record["attempts"][n - 1] if len(record["attempts"]) >= n else None
    path = os.path.join(run_dir, "attempts", "%s.%d.json" % (stage, n))
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return data["attempt"] if data.get("stage") == stage else None


def check_outputs(c, case, name, stage, want, run_dir, manifest):
    """The outputs recorded with the stage's last attempt (the manifest's, locally): each file with its size and hash."""
    if manifest is not None:
        recorded = next(s for s in manifest["stages"] if s["id"] == stage)["outputs"]
    else:
        path = os.path.join(run_dir, "attempts", "%s.%d.json" % (stage, len(want["attempts"])))
        recorded = json.load(open(path, encoding="utf-8")).get("outputs") if os.path.exists(path) else None
    expected = []
    for rel in want["outputs"]:
        with open(os.path.join(case["project_dir"], rel), "rb") as f:
            data = f.read()
        expected.append({"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    c.check(recorded == expected, "%s recorded its outputs with their hashes" % name, "got %s" % recorded)


def check_stage(c, case, executor, stage, want, got, run_dir, manifest):
    name = "%s/%s" % (case["name"], stage)
    status, tries = got.get(stage, (None, None))
    expected = AIRFLOW_STATE[want["status"]] if executor == "airflow" else want["status"]
    c.check(status == expected, "%s ends %s" % (name, expected), "got %s" % status)
    c.check(tries == len(want["attempts"]), "%s ran %d attempt(s)" % (name, len(want["attempts"])), "got %s" % tries)
    previous = None
    for n, outcome in enumerate(want["attempts"], start=1):
        attempt = read_attempt(run_dir, stage, n, manifest)
        if not c.check(attempt is not None and set(attempt) == ATTEMPT_KEYS, "%s attempt %d recorded" % (name, n), str(attempt)):
            continue
        c.check(attempt["outcome"] == outcome, "%s attempt %d outcome %s" % (name, n, outcome), "got %s" % attempt["outcome"])
        if previous is not None and previous["retryDelayMs"] is not None:
            gap = ms(attempt["start"]) - ms(previous["end"])
            c.check(gap >= previous["retryDelayMs"] - 10, "%s waited %dms before attempt %d" % (name, previous["retryDelayMs"], n), "waited %dms" % gap)
        previous = attempt
    if "gpus" in want:
        first = read_attempt(run_dir, stage, 1, manifest) or {}
        c.check(first.get("gpus") == want["gpus"], "%s held GPUs %s" % (name, want["gpus"]), "got %s" % first.get("gpus"))
    if "minGpuWaitMs" in want:
        first = read_attempt(run_dir, stage, 1, manifest) or {}
        c.check((first.get("gpuWaitMs") or 0) >= want["minGpuWaitMs"], "%s waited for the GPU another run held" % name, "gpuWaitMs %s" % first.get("gpuWaitMs"))
    if "outputs" in want:
        check_outputs(c, case, name, stage, want, run_dir, manifest)
    if "gate" in want:
        path = os.path.join(run_dir, "gates", stage + ".json")
        verdict = json.load(open(path, encoding="utf-8"))["verdict"] if os.path.exists(path) else None
        c.check(verdict == want["gate"], "%s gate record says %s" % (name, want["gate"]), "got %s" % verdict)


def check_retry_delays(c, case, executor, run_dir, manifest, version):
    """The delay recorded before each retry: the plan's exactly, or within Airflow's jitter range."""
    for stage, want in case["stages"].items():
        for n, planned in enumerate(want.get("retryDelaysMs", []), start=1):
            attempt = read_attempt(run_dir, stage, n, manifest) or {}
            got = attempt.get("retryDelayMs")
            exact = executor == "local" or version >= (3, 3)
            ok = got == planned if exact else got is not None and planned <= got <= 2 * planned - 1000
            c.check(ok, "%s/%s retry %d delay %s" % (case["name"], stage, n, "%dms" % planned if exact else "in Airflow's jitter range"), "got %s" % got)


def check_gate_records(c, case, run_dir):
    """A gate's extra record (its `record` path) holds the same verdict as the run's own record."""
    for rel, gate in sorted(case["gate_records"].items()):
        own, extra = os.path.join(run_dir, "gates", gate + ".json"), os.path.join(case["files_dir"], rel)
        same = os.path.exists(own) and os.path.exists(extra) and json.load(open(own, encoding="utf-8")) == json.load(open(extra, encoding="utf-8"))
        c.check(same, "%s: gate %s also recorded at %s" % (case["name"], gate, rel))


def check_files(c, case, run_dir, work):
    for rel, content in sorted(case["files"].items()):
        path = os.path.join(case["files_dir"], rel)
        if content is None or content is True:
            c.check(os.path.exists(path) == bool(content), "%s: %s %s" % (case["name"], rel, "exists" if content else "does not exist"))
            continue
        data = open(path, "rb").read() if os.path.exists(path) else None
        c.check(data == base64.b64decode(content), "%s: %s byte for byte" % (case["name"], rel), repr(data)[:300])
    for key, content in sorted(case["logs"].items()):
        path = os.path.join(run_dir, "logs", key + ".log")
        data = open(path, "rb").read() if os.path.exists(path) else None
        c.check(data == base64.b64decode(content), "%s: log %s byte for byte" % (case["name"], key), repr(data)[:300])
    # Also the executor's own output: the task logs Airflow keeps, and what the run printed.
    places = [run_dir, os.path.join(os.environ.get("AIRFLOW_HOME", run_dir), "logs")]
    printed = [os.path.join(work, "logs", case["name"] + ".log")]
    for secret in case["hidden"]:
        files = printed + [p for d in places for p in glob.glob(os.path.join(d, "**", "*"), recursive=True)]
        leaked = [p for p in files if os.path.isfile(p) and secret.encode() in open(p, "rb").read()]
        c.check(not leaked, "%s: secret value in no record, log or output" % case["name"], ", ".join(leaked))


def recorded_params(case):
    """The values a run must record: the case's own, or its `recorded` ones where text converts."""
    return case["recorded"] if case.get("recorded") is not None else case["params"]


def check_param_sources(c, case, sources):
    """Each value's recorded source; "given" is a value the case gave (conf, --params file or --param)."""
    given = {"--params file", "dag_run.conf", "--param"}
    for name, want in (case.get("sources") or {}).items():
        got = (sources or {}).get(name)
        c.check(got == want or (want == "given" and got in given), "%s: %s from %s" % (case["name"], name, want), "got %s" % got)


def run_dirs(case):
    """The run directories under the case's runs directory (hidden entries are not runs)."""
    runs = case["runs_dir"]
    return [n for n in os.listdir(runs) if not n.startswith(".")] if os.path.isdir(runs) else []


def check_rejected(c, case, executor, got, work):
    """The run was refused before any stage ran, with the case's message; no run records were written."""
    name = case["name"]
    with open(os.path.join(work, "logs", name + ".log"), encoding="utf-8", errors="replace") as f:
        output = f.read()
    c.check(case["rejected"] in output, "%s: refused with %r" % (name, case["rejected"]), "see %s/logs/%s.log" % (work, name))
    new = sorted(set(run_dirs(case)) - set(case["runs_before"]))
    c.check(not new, "%s: no run recorded" % name, str(new))
    if executor == "airflow":
        for stage, want in case["stages"].items():
            state, tries = (got or {}).get(stage, (None, None))
            c.check(state == AIRFLOW_STATE[want["status"]], "%s/%s ends %s" % (name, stage, AIRFLOW_STATE[want["status"]]), "got %s" % state)
            if want["status"] == "failed":
                c.check(tries == 1, "%s/%s tried once, never retried" % (name, stage), "tries %s" % tries)
    else:
        c.check(case.get("exit_code") == 2, "%s: exit code 2" % name, "got %s" % case.get("exit_code"))


def check_run_record(c, case, executor, run_dir, manifest):
    want = recorded_params(case)
    if executor == "local":
        c.check(manifest["params"] == {**manifest["params"], **want}, "%s: manifest params" % case["name"], str(manifest["params"]))
        check_param_sources(c, case, manifest.get("paramSources"))
        return
    path = os.path.join(run_dir, "run.json")
    run = json.load(open(path, encoding="utf-8")) if os.path.exists(path) else {}
    keys = {"version", "executor", "runId", "airflowRunId", "pipelineId", "planHash", "params", "paramSources", "host", "user", "start"}
    c.check(set(run) == keys and run["executor"] == "airflow" and run["runId"] == os.path.basename(run_dir), "%s: run.json" % case["name"], str(run)[:300])
    c.check(run.get("params", {}) == {**run.get("params", {}), **want}, "%s: run.json params" % case["name"], str(run.get("params")))
    check_param_sources(c, case, run.get("paramSources"))
    plan_path = os.path.join(run_dir, "plan.json")
    plan = json.load(open(plan_path, encoding="utf-8")) if os.path.exists(plan_path) else {}
    c.check(plan.get("hash") == run.get("planHash") and plan.get("version") == 1, "%s: plan.json beside run.json" % case["name"], str(plan)[:200])


def check_settings(c, dag):
    """The DAG settings uf_settings declares, as Airflow parsed them."""
    if dag is None:
        return
    start = datetime.datetime(2024, 1, 1, 4, 0, tzinfo=datetime.timezone.utc)
    c.check(dag.start_date == start, "uf_settings: start_date 2024-01-01T04:00Z", str(dag.start_date))
    c.check(sorted(dag.tags) == ["rwkv", "team-nlp"], "uf_settings: tags exactly as declared", str(dag.tags))
    c.check(all(t.owner == "nlp-team" for t in dag.tasks), "uf_settings: every task owned by nlp-team", str([t.owner for t in dag.tasks]))
    queues = {t.task_id: t.queue for t in dag.tasks}
    c.check(queues == {"prep": "team_cpu", "train": "team_gpu_q"}, "uf_settings: per-stage queues", str(queues))
    train = dag.get_task("train")
    c.check((train.pool, train.pool_slots) == ("team_gpu", 1), "uf_settings/train: pool team_gpu", str((train.pool, train.pool_slots)))


def check_team_port(c, dag):
    """uf_team_port: the team's owner, start date, tags and GPU pool, and its params in the trigger form."""
    if dag is None:
        return
    start = datetime.datetime(2024, 1, 15, tzinfo=datetime.timezone.utc)
    c.check(dag.start_date == start, "uf_team_port: start_date 2024-01-15", str(dag.start_date))
    c.check(list(dag.tags) == ["team-nlp"], "uf_team_port: tags exactly as declared", str(dag.tags))
    c.check(all(t.owner == "data-eng" for t in dag.tasks), "uf_team_port: every task owned by data-eng", str([t.owner for t in dag.tasks]))
    train = dag.get_task("train")
    c.check((train.pool, train.pool_slots) == ("nlp_a100", 1), "uf_team_port/train: pool nlp_a100", str((train.pool, train.pool_slots)))
    names = {"run_name", "data_dir", "min_rows", "tamper", "wandb", "resume"}
    c.check(set(dag.params.keys()) == names, "uf_team_port: params in the trigger form", str(sorted(dag.params.keys())))


def check_imports(c, work, cases):
    """Airflow parses every exported file without errors, and no task has anything to template."""
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:
        from airflow.models.dagbag import DagBag
    started = time.monotonic()
    bag = DagBag(dag_folder=os.path.join(work, "dags"))
    print("  parsed %d DAG files in %.2fs" % (len(bag.dag_ids), time.monotonic() - started))
    c.check(not bag.import_errors, "every DAG file imports without errors", json.dumps(bag.import_errors)[:2000])
    for dag_id in sorted({case["dag_id"] for case in cases} | {"everything", "hello"}):
        dag = bag.dags.get(dag_id)
        if not c.check(dag is not None, "%s is in the DagBag" % dag_id):
            continue
        c.check(all(tuple(t.template_fields) == () for t in dag.tasks), "%s: no task has template fields" % dag_id)
        catchup, runs = (True, 2) if dag_id == "uf_settings" else (False, 2 if dag_id == "everything" else 1)
        c.check(dag.catchup is catchup and dag.max_active_runs == runs, "%s: catchup %s, max_active_runs %d as planned" % (dag_id, catchup, runs))
    check_settings(c, bag.dags.get("uf_settings"))
    check_team_port(c, bag.dags.get("uf_team_port"))
    gpu = bag.dags.get("everything")
    if gpu is not None:
        train = gpu.get_task("train")
        c.check((train.pool, train.pool_slots, train.retries) == ("gpu-a100", 1, 3), "everything/train: pool gpu-a100, 1 slot, 3 retries")
        # A GPU stage's timeout is the operator's own, started after the GPU lease (not execution_timeout).
        c.check(train.execution_timeout is None and train.stage["timeout_seconds"] == 12 * 3600, "everything/train: 12h timeout per attempt, after the GPU lease")
        c.check(set(gpu.params.keys()) == {"run_name", "ctx_len", "lr", "resume", "data", "profile"}, "everything: params in the trigger form")


def check_team_dag(c, work, cases):
    """Package mode: a team's DAG (team_nightly.py) holds the uf_retry pipeline as a task group between its
    own tasks; one run of it runs the group's stages as the pipeline's own DAG does, records and all."""
    from airflow.models import DagRun, TaskInstance
    from airflow.utils.session import create_session

    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:
        from airflow.models.dagbag import DagBag
    retry = next(case for case in cases if case["dag_id"] == "uf_retry")
    dag = DagBag(dag_folder=os.path.join(work, "dags", "team_nightly.py")).dags.get("team_nightly")
    if not c.check(dag is not None, "team_nightly (UpdraftTaskGroup) is in the DagBag"):
        return
    ids = sorted(t.task_id for t in dag.tasks)
    c.check(ids == ["fetch", "publish", "uf_retry.after", "uf_retry.flaky"], "team_nightly: the team's tasks and the group's", str(ids))
    flaky, after = dag.get_task("uf_retry.flaky"), dag.get_task("uf_retry.after")
    c.check(flaky.upstream_task_ids == {"fetch"} and after.downstream_task_ids == {"publish"}, "team_nightly: fetch >> group >> publish")
    cmd = [os.path.join(os.path.dirname(sys.executable), "airflow"), "dags", "test", "team_nightly", "2024-03-01T00:00:00+00:00"]
    with open(os.path.join(work, "logs", "team_nightly.log"), "wb") as log:
        subprocess.run(cmd, env=dict(os.environ, **retry["env"]), cwd=work, stdout=log, stderr=subprocess.STDOUT, check=False)
    with create_session() as session:
        run = session.query(DagRun).filter(DagRun.dag_id == "team_nightly").order_by(DagRun.id.desc()).first()
        tis = [] if run is None else session.query(TaskInstance).filter(TaskInstance.dag_id == "team_nightly", TaskInstance.run_id == run.run_id).all()
        got = {ti.task_id: (str(getattr(ti.state, "value", ti.state)), ti.try_number) for ti in tis}
        run_id = None if run is None else run.run_id
    want = {"fetch": ("success", 1), "uf_retry.flaky": ("success", 3), "uf_retry.after": ("success", 1), "publish": ("success", 1)}
    c.check(got == want, "team_nightly: every task succeeds, the group's flaky stage on its third try", "%s; see %s/logs/team_nightly.log" % (got, work))
    run_dir = records_dir(retry["runs_dir"], run_id) if run_id else None
    outcomes = []
    for n in (1, 2, 3):
        path = run_dir and os.path.join(run_dir, "attempts", "flaky.%d.json" % n)
        outcomes.append(json.load(open(path, encoding="utf-8"))["attempt"]["outcome"] if path and os.path.exists(path) else None)
    c.check(outcomes == ["failed", "failed", "success"], "team_nightly: the group's attempt records, as the pipeline's own DAG writes them", "%s in %s" % (outcomes, run_dir))


def main():
    executor, work = sys.argv[1], os.path.abspath(sys.argv[2])
    label = sys.argv[3] if len(sys.argv) > 3 else executor
    cases = json.load(open(os.path.join(work, "cases.json"), encoding="utf-8"))
    only = [n for n in os.environ.get("UPDRAFT_CASES", "").split(",") if n]  # for working on one case
    cases = [case for case in cases if not only or case["name"] in only]
    os.makedirs(os.path.join(work, "logs"), exist_ok=True)
    c = Checks(label)
    if executor == "airflow":
        check_imports(c, work, cases)
        if os.path.exists(os.path.join(work, "dags", "team_nightly.py")):
            check_team_dag(c, work, json.load(open(os.path.join(work, "cases.json"), encoding="utf-8")))
    version = (0, 0)
    if executor == "airflow":
        import airflow

        version = tuple(int(x) for x in airflow.__version__.split(".")[:2])
    for index, case in enumerate(cases):
        if executor != "airflow" and case["name"] in AIRFLOW_ONLY:
            print("%s: case %s not run: %s" % (label, case["name"], AIRFLOW_ONLY[case["name"]]), flush=True)
            continue
        print("%s: case %s" % (label, case["name"]), flush=True)
        case["runs_before"] = run_dirs(case)
        got, run_dir = run_airflow(case, index, work) if executor == "airflow" else run_local(case, work)
        if case.get("rejected"):
            check_rejected(c, case, executor, got, work)
            continue
        if not c.check(got is not None, "%s: a run was recorded" % case["name"], "see %s/logs/%s.log" % (work, case["name"])):
            continue
        manifest = json.load(open(os.path.join(run_dir, "manifest.json"), encoding="utf-8")) if executor == "local" else None
        time.sleep(case["settle_seconds"])
        for stage, want in case["stages"].items():
            check_stage(c, case, executor, stage, want, got, run_dir, manifest)
        c.check(set(got) == set(case["stages"]), "%s: no other stages" % case["name"], str(sorted(got)))
        if executor == "airflow":
            c.check(case["xcom_rows"] == 0, "%s: nothing pushed to XCom" % case["name"], "%s rows" % case["xcom_rows"])
        check_retry_delays(c, case, executor, run_dir, manifest, version)
        check_files(c, case, run_dir, work)
        check_gate_records(c, case, run_dir)
        check_run_record(c, case, executor, run_dir, manifest)
    print("%s: %d passed, %d failed" % (label, c.passed, c.failed), flush=True)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
