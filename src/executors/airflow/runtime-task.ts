/**
 * Python text embedded in every exported DAG: one try of a task stage (a process) and of a gate
 * stage (the gate evaluator), each leaving the same records as a local run.
 */

/**
 * `run_task` and `run_gate` (Python). Relies on the names of the other runtime modules, and on
 * `evaluate_gate` when the plan has gates.
 *
 * @example
 * ```ts
 * expect(TASK_PY).toContain("def run_task(op, run, ti):");
 * ```
 */
export const TASK_PY = String.raw`def note(op, log, text):
    """A line of updraft's own in the stage log and the task log, as the local executor writes it."""
    log.write(("[updraft] %s\n" % text).encode())
    op.log.info("[updraft] %s", text)


def pump(stream, log, op, secrets):
    """Copy the process output to the stage log (bytes as they come) and to the task log."""
    for line in iter(stream.readline, b""):
        for secret in secrets:
            line = line.replace(secret, b"***")
        log.write(line)
        op.log.info("%s", line.rstrip(b"\r\n").decode("utf-8", "replace"))


def stage_cwd(stage, run):
    return PROJECT_DIR if stage["cwd"] is None else in_project(resolve(stage["cwd"], run["values"]))


def fail(op, log, run, stage, attempt, started, outcome, text, retry=False, verdict=False, **fields):
    """End the attempt and raise: AirflowException is retried, AirflowFailException never is."""
    if verdict:  # a verdict on how the process ended goes to the task log only, as locally
        op.log.error("%s", text)
    else:
        note(op, log, text)
    end_attempt(run, stage, attempt, outcome, started, **fields)
    raise (AirflowException if retry else AirflowFailException)(text)


def run_task(op, run, ti):
    stage = op.stage
    attempt = new_attempt(run, stage)
    started = time.monotonic()
    env = stage_env(stage, run)
    attempt.update(gpus=gpu_indices(env, stage), log="logs/%s.%d.log" % (stage["id"], run["try"]))
    cwd = stage_cwd(stage, run)
    secrets = sorted({os.environ[n].encode() for n in stage["secret_env"] if os.environ.get(n)}, key=len, reverse=True)
    with open(os.path.join(run["dir"], attempt["log"]), "ab", buffering=0) as log:
        missing = [n for n in stage["secret_env"] if n not in os.environ]
        if missing:
            fail(op, log, run, stage, attempt, started, "failed", "secret environment variable %s is not set on the worker" % ", ".join(missing))
        if not os.path.isdir(cwd):
            fail(op, log, run, stage, attempt, started, "failed", "working directory does not exist: %s" % cwd)
        command = stage["command"]
        argv = ["bash", "-c", command["script"]] if command["kind"] == "shell" else [resolve(a, run["values"]) for a in command["argv"]]
        try:
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as error:
            fail(op, log, run, stage, attempt, started, "failed", "cannot start %s: %s" % (argv[0], error), retry=True)
        op.running["proc"] = proc
        reader = threading.Thread(target=pump, args=(proc.stdout, log, op, secrets), daemon=True)
        reader.start()
        try:
            code = proc.wait()
        except BaseException as error:
            timed_out = isinstance(error, AirflowTaskTimeout)
            why = ("timed out after %ss" % js_text(op.execution_timeout.total_seconds())) if timed_out else "stopped"
            note(op, log, "%s: sending SIGTERM to the process group, SIGKILL in %ss" % (why, GRACE_SECONDS))
            kill_group(proc)
            reader.join(1)
            code = proc.returncode
            end_attempt(run, stage, attempt, "timeout" if timed_out else "cancelled", started,
                        exitCode=code if code is not None and code >= 0 else None,
                        signal=signal.Signals(-code).name if code is not None and code < 0 else None)
            if timed_out:  # an ordinary (retryable) failure: Airflow 2.10's dags test dies on the BaseException
                raise AirflowException(why) from error
            raise
        finally:
            op.running.pop("proc", None)
        if group_alive(proc.pid):
            note(op, log, "the stage left processes running in its process group; sending SIGTERM")
            kill_group(proc)
        reader.join(1)  # a process that left the group may still hold the pipe
        exit_code, sig = (code, None) if code >= 0 else (None, signal.Signals(-code).name)
        if op.running.pop("killed", False):
            fail(op, log, run, stage, attempt, started, "cancelled", "stopped", verdict=True, exitCode=exit_code, signal=sig)
        if code == 0:
            for output in stage["outputs"]:
                path = os.path.join(cwd, resolve(output, run["values"]))
                if not os.path.exists(path):
                    fail(op, log, run, stage, attempt, started, "missing-output", "missing output: %s" % resolve(output, run["values"]), verdict=True, exitCode=0)
            end_attempt(run, stage, attempt, "success", started, exitCode=0)
            return None
        if exit_code in stage["non_retryable_exit_codes"]:
            fail(op, log, run, stage, attempt, started, "failed", "exit code %d is non-retryable: failed without a retry" % exit_code, verdict=True, exitCode=exit_code)
        delay = airflow_retry_delay(op, ti, run["try"]) if run["try"] <= op.retries else None
        text = ("exit code %d" % code) if sig is None else ("killed by %s" % sig)
        fail(op, log, run, stage, attempt, started, "failed", text, retry=True, verdict=True, exitCode=exit_code, signal=sig,
             retryDelayMs=None if delay is None else int(delay * 1000))


def run_gate(op, run):
    stage = op.stage
    attempt = new_attempt(run, stage)
    started = time.monotonic()
    try:
        result = evaluate_gate(stage["id"], stage["gate"], run["values"], stage_cwd(stage, run))
    except Exception as error:
        end_attempt(run, stage, attempt, "failed", started)
        raise AirflowFailException("gate %s could not be evaluated: %s" % (stage["id"], error))
    write_json(os.path.join(run["dir"], "gates", "%s.json" % stage["id"]), result)
    for rule in result["rules"]:
        op.log.info("%s %s", "PASS" if rule["passed"] else "FAIL", rule["reason"])
    blocked = result["verdict"] == "FAIL" and result["severity"] == "block"
    end_attempt(run, stage, attempt, "failed" if blocked else "success", started)
    op.log.info("gate %s: %s (%s): %s", stage["id"], result["verdict"], result["severity"], result["reason"])
    if blocked:
        raise AirflowFailException("gate %s failed: %s" % (stage["id"], result["reason"]))
    return None
`;
