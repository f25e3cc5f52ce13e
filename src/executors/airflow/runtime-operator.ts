/**
 * Python text embedded in every exported DAG: the operator that runs one stage the way
 * `updraft run` does, and the mapping of a plan's retry schedule to Airflow's retry settings.
 * Nothing here runs when Airflow imports the file; the operator's work happens in `execute`.
 */

/**
 * The operator and retry helpers (Python). Relies on the names of `IMPORTS_PY` and `RECORDS_PY`.
 *
 * @example
 * ```ts
 * expect(OPERATOR_PY).toContain("class UpdraftStage(BaseOperator):");
 * ```
 */
export const OPERATOR_PY = String.raw`GRACE_SECONDS = 5


def retry_args(retries, delays, multiplier, max_delay):
    """Airflow retry settings for a plan's schedule: delays[n - 1] seconds before retry n."""
    if retries == 0:
        return {"retries": 0}
    args = {"retries": retries, "retry_delay": datetime.timedelta(seconds=delays[0])}
    if multiplier != 1:
        exact = multiplier == 2 or AIRFLOW_VERSION < (3, 2)
        args["retry_exponential_backoff"] = True if exact else float(multiplier)
        if max_delay is not None:
            args["max_retry_delay"] = datetime.timedelta(seconds=max_delay)
    if RetryPolicy is not None:
        args["retry_policy"] = PlanDelays(delays)
    return args


if RetryPolicy is not None:

    class PlanDelays(RetryPolicy):
        """Retry n waits exactly the plan's delays[n - 1] seconds (no jitter)."""

        def __init__(self, delays):
            self.delays = list(delays)

        def evaluate(self, exception, try_number, max_tries, context=None):
            delay = self.delays[max(0, min(try_number, len(self.delays)) - 1)]
            return RetryDecision.retry(delay=datetime.timedelta(seconds=delay))

        def serialize(self):
            return {"__type": "PlanDelays", "delays": self.delays}


def airflow_retry_delay(op, ti, try_number):
    """Seconds Airflow will wait before the next try (its own formula where it has no policy)."""
    if RetryPolicy is not None:
        delays = op.retry_policy.delays
        return delays[min(try_number, len(delays)) - 1]
    base = op.retry_delay.total_seconds()
    if not op.retry_exponential_backoff:
        return base
    import hashlib
    import math

    multiplier = 2 if op.retry_exponential_backoff is True else op.retry_exponential_backoff
    low = max(1, math.ceil(base * multiplier ** (try_number - 1)))
    date = getattr(ti, "execution_date", None) or getattr(ti, "logical_date", None)
    key = "%s#%s#%s#%s" % (ti.dag_id, ti.task_id, date, try_number)
    delay = min(low + int(hashlib.sha1(key.encode()).hexdigest(), 16) % low, 24 * 60 * 60)
    return min(delay, op.max_retry_delay.total_seconds()) if op.max_retry_delay else delay


def stage_env(stage, run):
    """The worker's environment plus the stage's variables, parameters and run identity."""
    env = dict(os.environ)
    env.update({"UPDRAFT_PARAM_" + k.upper(): js_text(v) for k, v in run["values"].items()})
    env.update({k: resolve(v, run["values"]) for k, v in stage["env"].items()})
    env.update(UPDRAFT_RUN_ID=run["id"], UPDRAFT_RUN_DIR=run["dir"], UPDRAFT_STAGE=stage["id"], UPDRAFT_ATTEMPT=str(run["try"]))
    return env


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def marked_processes(marker):
    """(pid, pgid) of live processes whose environment holds every name=value of marker (Linux; else none)."""
    needles = [("\0%s=%s\0" % item).encode() for item in marker.items()]
    found = []
    for name in os.listdir("/proc") if needles and os.path.isdir("/proc") else []:
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % name, "rb") as f:
                env = b"\0" + f.read() + b"\0"
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        if fields[0] not in (b"Z", b"X") and all(n in env for n in needles):
            found.append((int(name), int(fields[2])))
    return found


def escaped(proc):
    """Processes of the stage that left its process group (setsid), found by the marker variables they inherit."""
    marker = getattr(proc, "updraft_marker", None)
    return [pid for pid, pgid in marked_processes(marker) if pgid != proc.pid] if marker else []


def signal_stage(proc, sig):
    for target, kill in [(proc.pid, os.killpg)] + [(pid, os.kill) for pid in escaped(proc)]:
        try:
            kill(target, sig)
        except ProcessLookupError:
            pass


def kill_group(proc):
    """SIGTERM the stage's processes (its group, and any that left it), then SIGKILL what is left after the grace period."""
    if proc is None:
        return
    signal_stage(proc, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        proc.poll()  # reaps the leader, so only live members keep the group
        if not group_alive(proc.pid) and not escaped(proc):
            return
        time.sleep(0.05)
    signal_stage(proc, signal.SIGKILL)
    proc.wait()


class UpdraftStage(BaseOperator):
    """One stage of the plan, run exactly as updraft run runs it. Nothing passes through Jinja."""

    template_fields = ()
    template_ext = ()
    ui_color = "#dbeafe"

    def __init__(self, *, stage, **kwargs):
        super().__init__(**kwargs)
        self.stage = stage
        self.running = {}

    def execute(self, context):
        run = open_run(context)
        if self.stage["kind"] == "gate":
            return run_gate(self, run)
        return run_task(self, run, context["ti"])

    def on_kill(self):
        proc = self.running.pop("proc", None)
        if proc is not None:
            self.running["killed"] = True
            kill_group(proc)
`;
