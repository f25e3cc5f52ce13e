"""The runtime of a pipeline exported by `updraft export slurm`: what submit.sh and each Slurm job
run. Standard library only. It writes the audit records of the Airflow export (run.json,
attempts/<stage>.<n>.json, logs/<stage>.<n>.log, gates/<gate>.json) with executor "slurm".

  updraft_slurm.py open [--param name=value]...              validate parameters, make the run directory
  updraft_slurm.py attempt RUN_DIR STAGE N                   one attempt of a task stage (a job)
  updraft_slurm.py gpus RUN_DIR                              GPU counts that parameters give, for submit.sh
  updraft_slurm.py gate RUN_DIR STAGE                        a quality gate (a job): exit 1 on a blocking FAIL
  updraft_slurm.py noop                                      a marker job
"""
import datetime
import getpass
import json
import os
import secrets
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from updraft_params import format_problems, resolve_params  # noqa: E402


def load_spec():
    with open(os.path.join(HERE, "updraft-slurm.json"), encoding="utf-8") as f:
        return json.load(f)


def now_iso():
    """The current UTC time as JavaScript's toISOString() writes it."""
    t = datetime.datetime.now(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def write_json(path, data):
    """Write JSON atomically: a reader sees the old file or the new one, never half of one."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def resolve(template, values):
    """A plan template (a list of text and {"param": name} parts) with values filled in."""
    from updraft_params import js_text

    return "".join(p if isinstance(p, str) else js_text(values[p["param"]]) for p in template)


def resolve_argv(argv, values):
    """An argv with values filled in; an optional group ({"optional": name, "argv": [...]}) only where
    its parameter is set (a bool that is true, text that is not empty), as updraft run does."""
    out = []
    for arg in argv:
        if isinstance(arg, dict):
            value = values.get(arg["optional"])
            if value is not None and value is not False and value != "":
                out.extend(resolve(a, values) for a in arg["argv"])
        else:
            out.append(resolve(arg, values))
    return out


def in_project(spec, path):
    return os.path.normpath(os.path.join(spec["projectDir"], path))


def open_run(spec, args):
    """Validate the parameters (exit 2 with updraft run's messages), then make the run directory."""
    pairs, rest = [], list(args)
    while rest:
        word = rest.pop(0)
        if word == "--param" and rest:
            pairs.append(rest.pop(0))
        elif word.startswith("--param="):
            pairs.append(word[len("--param="):])
        else:
            sys.stderr.write("error: unknown argument %s\nusage: submit.sh [--param name=value]...\n" % json.dumps(word))
            return 2
    values, sources, problems = resolve_params(spec["params"], os.environ, pairs=pairs, stages=spec["stages"])
    if problems:
        sys.stderr.write(format_problems(problems, spec["pipelineId"]) + "\n")
        return 2
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    run_id = "slurm-%s-%s" % (stamp, secrets.token_hex(3))
    run_dir = os.path.join(in_project(spec, os.environ.get("UPDRAFT_RUNS_DIR") or spec["runsDir"]), run_id)
    for sub in ("attempts", "logs", "gates", "slurm"):
        os.makedirs(os.path.join(run_dir, sub), exist_ok=True)
    write_json(os.path.join(run_dir, "plan.json"), spec["plan"])
    write_json(os.path.join(run_dir, "run.json"), {
        "version": 1,
        "executor": "slurm",
        "runId": run_id,
        "pipelineId": spec["pipelineId"],
        "planHash": spec["planHash"],
        "params": values,
        "paramSources": sources,
        "host": socket.gethostname(),
        "user": getpass.getuser(),
        "start": now_iso(),
    })
    print(run_dir)
    return 0


def gpu_counts(spec, run_dir):
    """For submit.sh: `STAGE<TAB>N` for each stage whose GPU count a parameter gives, from the run's values."""
    from updraft_params import stage_gpus

    values = read_json(os.path.join(run_dir, "run.json"))["params"]
    for stage in spec["stages"]:
        if isinstance(stage["gpu"], dict):
            print("%s\t%d" % (stage["id"], stage_gpus(stage, values)))
    return 0


def stage_of(spec, stage_id):
    return next(s for s in spec["stages"] if s["id"] == stage_id)


def stage_cwd(spec, stage, values):
    return spec["projectDir"] if stage["cwd"] is None else in_project(spec, resolve(stage["cwd"], values))


def run_gate(spec, run_dir, stage_id):
    """Evaluate a gate with updraft's evaluator; exit 1 (dependents cancelled) on a blocking FAIL."""
    from updraft_gates.evaluate import evaluate_gate

    stage, run = stage_of(spec, stage_id), read_json(os.path.join(run_dir, "run.json"))
    started, start = time.monotonic(), now_iso()
    record = {"attempt": 1, "start": start, "end": None, "exitCode": None, "signal": None, "durationMs": None,
              "outcome": "running", "log": None, "gpus": [], "gpuWaitMs": 0, "retryDelayMs": None}
    path = os.path.join(run_dir, "attempts", "%s.1.json" % stage_id)
    write_json(path, {"stage": stage_id, "kind": "gate", "attempt": record})
    try:
        cwd = stage_cwd(spec, stage, run["params"])
        result = evaluate_gate(stage_id, stage["gate"], run["params"], cwd)
        blocked = result["verdict"] == "FAIL" and result["severity"] == "block"
        write_json(os.path.join(run_dir, "gates", "%s.json" % stage_id), result)
        if stage["gate"].get("record"):  # the second place the gate names, as updraft run writes it
            extra = os.path.normpath(os.path.join(cwd, resolve(stage["gate"]["record"], run["params"])))
            os.makedirs(os.path.dirname(extra), exist_ok=True)
            write_json(extra, result)
        for rule in result["rules"]:
            print("%s %s" % ("PASS" if rule["passed"] else "FAIL", rule["reason"]))
        print("gate %s: %s (%s): %s" % (stage_id, result["verdict"], result["severity"], result["reason"]))
    except Exception as error:  # a broken metrics file is the gate's failure, never a crash
        print("gate %s could not be evaluated: %s" % (stage_id, error))
        blocked = True
    record.update(outcome="failed" if blocked else "success", end=now_iso(), exitCode=1 if blocked else 0,
                  durationMs=int((time.monotonic() - started) * 1000))
    write_json(path, {"stage": stage_id, "kind": "gate", "attempt": record})
    return 1 if blocked else 0


def main(argv):
    command = argv[0] if argv else ""
    if command == "noop":
        return 0
    spec = load_spec()
    if command == "open":
        return open_run(spec, argv[1:])
    if command == "gpus":
        return gpu_counts(spec, argv[1])
    if command == "gate":
        return run_gate(spec, argv[1], argv[2])
    if command == "attempt":
        from updraft_slurm_attempt import run_attempt

        return run_attempt(spec, argv[1], stage_of(spec, argv[2]), int(argv[3]))
    sys.stderr.write("usage: updraft_slurm.py open|gpus|attempt|gate|noop ...\n")
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (OSError, ValueError, KeyError, StopIteration) as error:  # a damaged export or run directory
        sys.stderr.write("updraft_slurm: %s: %s\n" % (type(error).__name__, error))
        sys.exit(1)
