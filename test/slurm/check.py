"""The conformance suite's checker for the SLURM export: submit each case of cases.json with the
exported submit.sh to the running cluster (SLURM_CONF set by run.sh), wait for the run's end job,
and assert the same outcomes as for `updraft run` and Airflow, from the run records the jobs wrote,
read back by `updraft show --json` (so history tools read SLURM runs too).

  python3 test/slurm/check.py WORK [CASE,...]
"""
import importlib.util
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# The shared checks of test/airflow/check.py, under a name of their own.
_spec = importlib.util.spec_from_file_location("airflow_check", os.path.join(os.path.dirname(HERE), "airflow", "check.py"))
suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite)

ROOT = suite.ROOT
UPDRAFT = [os.path.join(ROOT, "node_modules", ".bin", "tsx"), os.path.join(ROOT, "src", "cli", "bin.ts")]
# Cases that depend on updraft's machine-wide GPU lock files: on Slurm, GRES hands out GPUs (see gpus.py).
NOT_ON_SLURM = {
    "gpu-lease": "GPUs come from Slurm's GRES, not updraft's lock directory",
    "gpu-pool-only": "UPDRAFT_GPU_LEASE=pool is a mode of the Airflow worker",
}
RUN_KEYS = {"version", "executor", "runId", "pipelineId", "planHash", "params", "paramSources", "host", "user", "start"}


def js_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def submit(export_dir, cwd, params, env, log, case=None):
    """Run submit.sh; the run directory it printed, or None (its exit code goes to case["exit_code"])."""
    args = ["bash", os.path.join(export_dir, "submit.sh")]
    for name, value in params.items():
        args += ["--param", "%s=%s" % (name, js_text(value))]
    out = subprocess.run(args, cwd=cwd, env=dict(os.environ, **env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    log.write(out.stdout)
    if case is not None:
        case["exit_code"] = out.returncode
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("run directory: "):
            return line[len("run directory: "):]
    return None


def wait_for_run(run_dir, limit=600):
    """Wait until the run's end job has left the queue (every other job of the run ended before it)."""
    with open(os.path.join(run_dir, "slurm", "jobs.tsv"), encoding="utf-8") as f:
        end = next(line.split("\t")[2].strip() for line in f if line.split("\t")[1] == "end")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        out = subprocess.run(["squeue", "-h", "-j", end, "-o", "%T"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
        if out.stdout.strip() == b"":
            return True
        time.sleep(0.5)
    return False


def show(run_dir):
    out = subprocess.run(UPDRAFT + ["show", os.path.basename(run_dir), "--json", "--runs-dir", os.path.dirname(run_dir)],
                         stdout=subprocess.PIPE, check=False)
    return json.loads(out.stdout) if out.returncode == 0 else None


def run_slurm(case, work):
    """Submit the case and wait for it; return {stage: (status, attempts)} and the run directory."""
    export_dir = os.path.join(work, "slurm", case["dag_id"])
    with open(os.path.join(work, "logs", case["name"] + ".log"), "wb") as log:
        run_dir = submit(export_dir, case["project_dir"], case["params"], case["env"], log, case)
    if run_dir is None or not wait_for_run(run_dir):
        return None, None
    view = show(run_dir)
    if view is None:
        return None, None
    return {s["id"]: (s["status"], len(s["attempts"])) for s in view["stages"]}, run_dir


def check_run_record(c, case, run_dir):
    run = json.load(open(os.path.join(run_dir, "run.json"), encoding="utf-8"))
    ok = set(run) == RUN_KEYS and run["executor"] == "slurm" and run["runId"] == os.path.basename(run_dir)
    c.check(ok, "%s: run.json" % case["name"], str(run)[:300])
    want = suite.recorded_params(case)
    c.check(run["params"] == {**run["params"], **want}, "%s: run.json params" % case["name"], str(run["params"]))
    suite.check_param_sources(c, case, run.get("paramSources"))
    plan = json.load(open(os.path.join(run_dir, "plan.json"), encoding="utf-8"))
    c.check(plan.get("hash") == run["planHash"], "%s: plan.json beside run.json" % case["name"])


def main():
    work = os.path.abspath(sys.argv[1])
    only = [n for n in (sys.argv[2] if len(sys.argv) > 2 else os.environ.get("UPDRAFT_CASES", "")).split(",") if n]
    cases = [k for k in json.load(open(os.path.join(work, "cases.json"), encoding="utf-8")) if not only or k["name"] in only]
    os.makedirs(os.path.join(work, "logs"), exist_ok=True)
    c = suite.Checks("slurm")
    for case in cases:
        if case["name"] in NOT_ON_SLURM:
            print("slurm: case %s not run: %s" % (case["name"], NOT_ON_SLURM[case["name"]]), flush=True)
            continue
        started = time.monotonic()
        print("slurm: case %s" % case["name"], flush=True)
        case["runs_before"] = suite.run_dirs(case)
        got, run_dir = run_slurm(case, work)
        if case.get("rejected"):
            suite.check_rejected(c, case, "slurm", got, work)
            continue
        if not c.check(got is not None, "%s: a run was recorded" % case["name"], "see %s/logs/%s.log" % (work, case["name"])):
            continue
        time.sleep(case["settle_seconds"])
        for stage, want in case["stages"].items():
            suite.check_stage(c, case, "slurm", stage, want, got, run_dir, None)
        c.check(set(got) == set(case["stages"]), "%s: no other stages" % case["name"], str(sorted(got)))
        suite.check_retry_delays(c, case, "slurm", run_dir, None, (99, 0))  # recorded: the plan's delay exactly
        suite.check_files(c, case, run_dir, work)
        suite.check_gate_records(c, case, run_dir)
        check_run_record(c, case, run_dir)
        print("  (%.1fs)" % (time.monotonic() - started), flush=True)
    print("slurm: %d passed, %d failed" % (c.passed, c.failed), flush=True)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
