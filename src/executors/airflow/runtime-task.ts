/**
 * Python text embedded in every exported DAG: one try of a task stage (a process, with GPU
 * leases when it needs GPUs) and of a gate stage (the gate evaluator), each leaving the same
 * records as a local run.
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
export const TASK_PY = String.raw`class Masker:
    """Masks secret values in a byte stream, also one split across chunks or lines, as updraft run does."""

    def __init__(self, values):
        self.secrets = sorted({v.encode() for v in values if v}, key=len, reverse=True)
        self.keep = max([len(s) - 1 for s in self.secrets] + [0])
        self.held = b""

    def push(self, chunk):
        if not self.secrets:
            return chunk
        text = self.held + chunk
        cut = max(0, len(text) - self.keep)
        moved = True
        while moved:  # never cut through an occurrence: hold it back whole until it can be masked
            moved = False
            for secret in self.secrets:
                at = text.find(secret, max(0, cut - len(secret) + 1))
                if at != -1 and at < cut:
                    cut, moved = at, True
        self.held = text[cut:]
        return mask_bytes(text[:cut], self.secrets)

    def end(self):
        rest, self.held = self.held, b""
        return mask_bytes(rest, self.secrets)


def mask_bytes(data, secrets):
    """Every occurrence found in the original bytes; overlapping ones become one mask (as updraft run does)."""
    spans = []
    for secret in secrets:
        at = data.find(secret)
        while at != -1:
            spans.append((at, at + len(secret)))
            at = data.find(secret, at + 1)
    if not spans:
        return data
    spans.sort(key=lambda span: (span[0], -span[1]))
    out, done = [], 0
    start, end = spans[0]
    for s, e in spans[1:]:
        if s < end:
            end = max(end, e)
        else:
            out += [data[done:start], b"***"]
            done, start, end = end, s, e
    out += [data[done:start], b"***", data[end:]]
    return b"".join(out)


def plan_secrets():
    """The values of every secret the plan names that the worker has: any stage's output may print any of them."""
    names = sorted({n for s in json.loads(PLAN_JSON)["stages"] for n in s["secretEnv"]})
    return [os.environ[n] for n in names if os.environ.get(n)]


def mask_deep(value, values):
    """JSON-like data with every secret masked in every string, as is and JSON-escaped (gate reasons quote values)."""
    forms = sorted({f for v in values if v for f in (v, json.dumps(v, ensure_ascii=False)[1:-1])}, key=len, reverse=True)
    if isinstance(value, str):
        for form in forms:
            value = value.replace(form, "***")
        return value
    if isinstance(value, list):
        return [mask_deep(v, values) for v in value]
    if isinstance(value, dict):
        return {mask_deep(k, values): mask_deep(v, values) for k, v in value.items()}
    return value


def pump(stream, log, op, masker):
    """Copy the process output to the stage log (bytes as they come) and to the task log, secrets masked."""
    pending = [b""]

    def out(data, final=False):
        log.write(data)
        lines = (pending[0] + data).split(b"\n")
        pending[0] = b"" if final else lines.pop()
        for line in lines if not final or lines[-1] else lines[:-1]:
            op.log.info("%s", line.rstrip(b"\r").decode("utf-8", "replace"))

    for chunk in iter(lambda: os.read(stream.fileno(), 65536), b""):
        out(masker.push(chunk))
    out(masker.end(), final=True)


def stage_cwd(stage, run):
    return PROJECT_DIR if stage["cwd"] is None else in_project(resolve(stage["cwd"], run["values"]))


class TaskTry:
    """One try of a task stage: its attempt record, its log file, and how it ends."""

    def __init__(self, op, run, log):
        self.op, self.run, self.stage, self.log = op, run, op.stage, log
        self.started = time.monotonic()
        self.attempt = new_attempt(run, self.stage)
        self.attempt["log"] = "logs/%s.%d.log" % (self.stage["id"], run["try"])

    def note(self, text):
        """A line of updraft's own in the stage log and the task log, as updraft run writes it."""
        self.log.write(("[updraft] %s\n" % text).encode())
        self.op.log.info("[updraft] %s", text)

    def fail(self, outcome, text, retry=False, verdict=False, **fields):
        """End the attempt and raise: AirflowException is retried, AirflowFailException never is."""
        if verdict:  # a verdict on how the process ended goes to the task log only, as locally
            self.op.log.error("%s", text)
        else:
            self.note(text)
        end_attempt(self.run, self.stage, self.attempt, outcome, self.started, **fields)
        raise (AirflowException if retry else AirflowFailException)(text)

    def lease(self, env):
        """GPUs for the stage: the worker's CUDA_VISIBLE_DEVICES when it sets one, else leased."""
        need = self.stage["gpu"]
        if need == 0:
            return []
        pinned = os.environ.get("CUDA_VISIBLE_DEVICES", "")
        if pinned:
            self.attempt["gpus"] = [int(i) for i in pinned.split(",") if i.strip().isdigit()]
            return []
        waited = time.monotonic()
        try:
            lease = lease_gpus(need, self.run["id"], self.stage["id"], lambda text: self.op.log.info("[updraft] waiting for a GPU: %s", text))
        except NoGpu as error:
            self.fail("failed", str(error))
        env["CUDA_VISIBLE_DEVICES"] = ",".join(str(h["gpu"]) for h in lease)
        # As locally, the attempt starts once it holds its GPUs; the wait is recorded apart.
        self.attempt.update(gpus=[h["gpu"] for h in lease], gpuWaitMs=int((time.monotonic() - waited) * 1000), start=now_iso())
        self.started = time.monotonic()
        return lease

    def process(self, argv, cwd, env, lease):
        """Run the process in its own group to its end; return its exit status (negative: signal)."""
        try:
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as error:
            self.fail("failed", "cannot start %s: %s" % (argv[0], error), retry=True)
        proc.updraft_marker = {k: env[k] for k in ("UPDRAFT_RUN_ID", "UPDRAFT_STAGE", "UPDRAFT_ATTEMPT")}
        if lease:
            set_lease_child(lease, proc.pid)
        self.op.running["proc"] = proc
        reader = threading.Thread(target=pump, args=(proc.stdout, self.log, self.op, Masker(plan_secrets())), daemon=True)
        reader.start()
        try:
            code = proc.wait()
        except BaseException as error:
            timed_out = isinstance(error, AirflowTaskTimeout)
            why = ("timed out after %ss" % js_text(self.op.execution_timeout.total_seconds())) if timed_out else "stopped"
            self.note("%s: sending SIGTERM to the process group, SIGKILL in %ss" % (why, GRACE_SECONDS))
            kill_group(proc)
            reader.join(1)
            code = proc.returncode
            end_attempt(self.run, self.stage, self.attempt, "timeout" if timed_out else "cancelled", self.started,
                        exitCode=code if code is not None and code >= 0 else None,
                        signal=signal.Signals(-code).name if code is not None and code < 0 else None)
            if timed_out:  # an ordinary (retryable) failure: Airflow 2.10's dags test dies on the BaseException
                raise AirflowException(why) from error
            raise
        finally:
            self.op.running.pop("proc", None)
        if group_alive(proc.pid) or escaped(proc):
            where = "in its process group" if group_alive(proc.pid) else "outside its process group (%d)" % len(escaped(proc))
            self.note("the stage left processes running %s; sending SIGTERM" % where)
            kill_group(proc)
        reader.join(1)  # a process that left the group may still hold the pipe
        return code

    def judge(self, code, cwd, ti):
        """Success only with every declared output present; otherwise fail, retryably or not."""
        exit_code, sig = (code, None) if code >= 0 else (None, signal.Signals(-code).name)
        if self.op.running.pop("killed", False):
            self.fail("cancelled", "stopped", verdict=True, exitCode=exit_code, signal=sig)
        values = self.run["values"]
        if code == 0:
            for output in self.stage["outputs"]:
                if not os.path.exists(os.path.join(cwd, resolve(output, values))):
                    self.fail("missing-output", "missing output: %s" % resolve(output, values), verdict=True, exitCode=0)
            end_attempt(self.run, self.stage, self.attempt, "success", self.started, exitCode=0)
            return
        if exit_code in self.stage["non_retryable_exit_codes"]:
            self.fail("failed", "exit code %d is non-retryable: failed without a retry" % exit_code, verdict=True, exitCode=exit_code)
        delay = airflow_retry_delay(self.op, ti, self.run["try"]) if self.run["try"] <= self.op.retries else None
        self.fail("failed", ("exit code %d" % code) if sig is None else ("killed by %s" % sig), retry=True, verdict=True,
                  exitCode=exit_code, signal=sig, retryDelayMs=None if delay is None else int(delay * 1000))


def run_task(op, run, ti):
    stage = op.stage
    with open(os.path.join(run["dir"], "logs", "%s.%d.log" % (stage["id"], run["try"])), "ab", buffering=0) as log:
        attempt = TaskTry(op, run, log)
        missing = [n for n in stage["secret_env"] if n not in os.environ]
        if missing:
            attempt.fail("failed", "secret environment variable %s is not set on the worker" % ", ".join(missing))
        cwd = stage_cwd(stage, run)
        if not os.path.isdir(cwd):
            attempt.fail("failed", "working directory does not exist: %s" % cwd)
        env = stage_env(stage, run)
        command = stage["command"]
        argv = ["bash", "-c", command["script"]] if command["kind"] == "shell" else [resolve(a, run["values"]) for a in command["argv"]]
        lease = attempt.lease(env)
        try:
            code = attempt.process(argv, cwd, env, lease)
        finally:
            if lease:
                release_gpus(lease)
        attempt.judge(code, cwd, ti)


def run_gate(op, run):
    stage = op.stage
    attempt = new_attempt(run, stage)
    started = time.monotonic()
    secrets = plan_secrets()
    try:
        # A metric may hold a secret's value, and a reason quotes what it compared: mask before it is kept or logged.
        result = mask_deep(evaluate_gate(stage["id"], stage["gate"], run["values"], stage_cwd(stage, run)), secrets)
    except Exception as error:
        end_attempt(run, stage, attempt, "failed", started)
        raise AirflowFailException("gate %s could not be evaluated: %s" % (stage["id"], mask_deep(str(error), secrets)))
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
