"""One attempt of a task stage inside its Slurm job: the process in its own group, a timeout in
seconds that kills the whole group, secrets masked in the log, declared outputs checked, and the
next attempt (pre-submitted, waiting on `afternotok`) delayed by the plan or cancelled."""
import os
import signal
import subprocess
import sys
import threading
import time

from updraft_slurm import now_iso, read_json, resolve, resolve_argv, stage_cwd, write_json
from updraft_mask import Masker
from updraft_outputs import output_records
from updraft_params import js_text
from updraft_paths import input_problem, output_problem

GRACE_SECONDS = 5


def note(log, text):
    """A line of updraft's own, in the stage log and in the job's output."""
    log.write(("[updraft] %s\n" % text).encode())
    print("[updraft] %s" % text, flush=True)


def later_jobs(run_dir, stage_id, n):
    """Job ids of this stage's attempts after n, last first (cancelling attempt n+1 first would
    satisfy attempt n+2's `afternotok` on it)."""
    found = []
    with open(os.path.join(run_dir, "slurm", "jobs.tsv"), encoding="utf-8") as f:
        for line in f:
            stage, k, job = line.rstrip("\n").split("\t")
            if stage == stage_id and k.isdigit() and int(k) > n:
                found.append((int(k), job))
    return [job for _, job in sorted(found, reverse=True)]


def wait_for_planned_delay(run_dir, stage_id, n):
    """Slurm starts a delayed attempt on a whole second, up to a scheduler pass late; never early."""
    if n == 1:
        return
    try:
        previous = read_json(os.path.join(run_dir, "attempts", "%s.%d.json" % (stage_id, n - 1)))["attempt"]
    except (OSError, ValueError, KeyError):  # the attempt ended before it could write its record
        return
    if previous.get("retryDelayMs") is None or previous.get("end") is None:
        return
    from datetime import datetime

    end = datetime.fromisoformat(previous["end"].replace("Z", "+00:00")).timestamp()
    left = end + previous["retryDelayMs"] / 1000 - time.time()
    if left > 0:
        time.sleep(left)


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def kill_group(proc):
    """SIGTERM the stage's process group, then SIGKILL whatever is left after the grace period."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        proc.poll()
        if not group_alive(proc.pid):
            return
        time.sleep(0.05)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def pump(stream, log, secrets):
    masker = Masker(secrets)
    for chunk in iter(lambda: stream.read1(65536), b""):
        log.write(masker.push(chunk))
    log.write(masker.end())


def run_process(argv, cwd, env, log, secrets, timeout, stopped):
    """(exit status, negative for a signal; timed out?) of the process, run in its own group."""
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    stopped["proc"] = proc
    reader = threading.Thread(target=pump, args=(proc.stdout, log, secrets), daemon=True)
    reader.start()
    try:
        code = proc.wait(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        note(log, "timed out after %ss: sending SIGTERM to the process group, SIGKILL in %ss" % (js_text(timeout), GRACE_SECONDS))
        kill_group(proc)
        code, timed_out = proc.wait(), True
    if not timed_out and group_alive(proc.pid):
        note(log, "the stage left processes running in its process group; sending SIGTERM")
        kill_group(proc)
    reader.join(1)
    return code, timed_out


def judge(stage, cwd, values, code, timed_out):
    """(outcome, message, retryable) of a finished process, as updraft run judges it."""
    if timed_out:
        return "timeout", "timed out after %ss" % js_text(stage["timeoutSeconds"]), True
    if code == 0:
        for output in stage["outputs"]:
            problem = output_problem(cwd, resolve(output, values))
            if problem is not None:
                return "missing-output", problem, False
        return "success", None, False
    if code in stage["nonRetryableExitCodes"]:
        return "failed", "exit code %d is non-retryable: failed without a retry" % code, False
    return "failed", "exit code %d" % code if code > 0 else "killed by %s" % signal.Signals(-code).name, True


def start_process(spec, run_dir, run, stage, n, log, attempt, stopped):
    """Check what must hold, then run the command; returns judge()'s verdict."""
    values = run["params"]
    missing = [name for name in stage["secretEnv"] if name not in os.environ]
    if missing:
        return "failed", "secret environment variable %s is not set in the job's environment" % ", ".join(missing), False
    cwd = stage_cwd(spec, stage, values)
    if not os.path.isdir(cwd):
        return "failed", "working directory does not exist: %s" % cwd, False
    for declared in stage["inputs"]:
        problem = input_problem(stage["id"], cwd, resolve(declared, values))
        if problem is not None:
            return "failed", problem, False
    env = dict(os.environ)
    env.update({"UPDRAFT_PARAM_" + k.upper(): js_text(v) for k, v in values.items()})
    env.update({k: resolve(v, values) for k, v in stage["env"].items()})
    env.update(UPDRAFT_RUN_ID=run["runId"], UPDRAFT_RUN_DIR=run_dir, UPDRAFT_STAGE=stage["id"], UPDRAFT_ATTEMPT=str(n))
    command = stage["command"]
    argv = ["bash", "-c", command["script"]] if command["kind"] == "shell" else resolve_argv(command["argv"], values)
    # Every secret the plan names: a stage may print another stage's secret.
    names = {k for s in spec["stages"] for k in s["secretEnv"]}
    secrets = [os.environ[k] for k in sorted(names) if os.environ.get(k)]
    try:
        code, timed_out = run_process(argv, cwd, env, log, secrets, stage["timeoutSeconds"], stopped)
    except OSError as error:
        return "failed", "cannot start %s: %s" % (argv[0], error), True
    attempt.update(exitCode=code if code >= 0 else None, signal=signal.Signals(-code).name if code < 0 else None)
    return judge(stage, cwd, values, code, timed_out)


def scontrol(*args):
    subprocess.run(["scontrol", *args], stdout=subprocess.DEVNULL, check=False)


def run_attempt(spec, run_dir, stage, n):
    """Run attempt n; then cancel the later attempts, or delay the next one by the plan's wait."""
    run = read_json(os.path.join(run_dir, "run.json"))
    wait_for_planned_delay(run_dir, stage["id"], n)
    started = time.monotonic()
    gpus = [int(i) for i in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if i.strip().isdigit()] if stage["gpu"] else []
    attempt = {"attempt": n, "start": now_iso(), "end": None, "exitCode": None, "signal": None, "durationMs": None,
               "outcome": "running", "log": "logs/%s.%d.log" % (stage["id"], n), "gpus": gpus, "gpuWaitMs": 0, "retryDelayMs": None}
    record = os.path.join(run_dir, "attempts", "%s.%d.json" % (stage["id"], n))
    write_json(record, {"stage": stage["id"], "kind": "task", "attempt": attempt})
    stopped = {}

    def on_term(signum, frame):  # scancel or Slurm's --time: stop the group, record a cancelled attempt
        # No grace loop here: the interrupted wait() holds the lock that reaps the process, and
        # Slurm SIGKILLs whatever is left of the job after its KillWait.
        try:
            if "proc" in stopped:
                os.killpg(stopped["proc"].pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        attempt.update(outcome="cancelled", end=now_iso(), durationMs=int((time.monotonic() - started) * 1000))
        write_json(record, {"stage": stage["id"], "kind": "task", "attempt": attempt})
        os._exit(143)

    signal.signal(signal.SIGTERM, on_term)
    with open(os.path.join(run_dir, attempt["log"]), "ab", buffering=0) as log:
        outcome, message, retryable = start_process(spec, run_dir, run, stage, n, log, attempt, stopped)
        if message and outcome in ("failed", "missing-output") and attempt["exitCode"] is None and attempt["signal"] is None:
            note(log, message)  # updraft's own refusal (no process ran): in the stage log, as locally
        elif message:
            print("[updraft] %s" % message, flush=True)
    delays = stage["retryDelaysMs"]
    retry = retryable and n <= len(delays)
    attempt.update(outcome=outcome, end=now_iso(), durationMs=int((time.monotonic() - started) * 1000),
                   retryDelayMs=delays[n - 1] if retry else None)
    final = {"stage": stage["id"], "kind": "task", "attempt": attempt}
    if outcome == "success":  # the outputs with their hashes, as updraft run records them
        values = run["params"]
        final["outputs"] = output_records(spec["projectDir"], stage_cwd(spec, stage, values), [resolve(o, values) for o in stage["outputs"]])
    write_json(record, final)
    later = later_jobs(run_dir, stage["id"], n)
    if retry:
        scontrol("update", "JobId=%s" % later[-1], "StartTime=now+%d" % (delays[n - 1] // 1000))
    else:
        for job in later:
            subprocess.run(["scancel", job], check=False)
    return 0 if outcome == "success" else 1
