"""One try of a task stage (a process, with GPU leases when it needs GPUs) and of a gate stage (the gate
evaluator), each leaving the same records as a local run."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from typing import IO, Any, NoReturn

from .compat import AirflowException, AirflowFailException, AirflowTaskTimeout
from .gates.values import now_iso
from .masking import Masker, mask_deep, plan_secrets
from .outputs import output_records
from .params import env_name, js_text, stage_gpus
from .paths import input_problem, output_problem
from .process import GRACE_SECONDS, escaped, group_alive, guard, kill_group, pump
from .records import Run, end_attempt, in_project, new_attempt, resolve, resolve_argv, write_json
from .retry import airflow_retry_delay

Stage = dict[str, Any]


def stage_env(stage: Stage, run: Run) -> dict[str, str]:
    """The worker's environment plus the stage's variables, parameters and run identity."""
    env = dict(os.environ)
    env.update({env_name(k): js_text(v) for k, v in run.values.items()})
    env.update({k: resolve(v, run.values) for k, v in stage["env"].items()})
    env.update(UPDRAFT_RUN_ID=run.id, UPDRAFT_RUN_DIR=run.dir, UPDRAFT_STAGE=stage["id"])
    env["UPDRAFT_ATTEMPT"] = str(run.try_number)
    return env


def stage_cwd(stage: Stage, run: Run) -> str:
    return run.project_dir if stage["cwd"] is None else in_project(run.project_dir, resolve(stage["cwd"], run.values))


class TaskTry:
    """One try of a task stage: its attempt record, its log file, and how it ends."""

    def __init__(self, op: Any, run: Run, log: IO[bytes]) -> None:
        self.op, self.run, self.stage, self.log = op, run, op.stage, log
        self.started = time.monotonic()
        self.attempt = new_attempt(run, self.stage)
        self.attempt["log"] = "logs/%s.%d.log" % (self.stage["id"], run.try_number)

    def note(self, text: str) -> None:
        """A line of updraft's own in the stage log and the task log, as updraft run writes it."""
        self.log.write(("[updraft] %s\n" % text).encode())
        self.op.log.info("[updraft] %s", text)

    def fail(self, outcome: str, text: str, retry: bool = False, verdict: bool = False, **fields: Any) -> NoReturn:
        """End the attempt and raise: AirflowException is retried, AirflowFailException never is."""
        if verdict:  # a verdict on how the process ended goes to the task log only, as locally
            self.op.log.error("%s", text)
        else:
            self.note(text)
        end_attempt(self.run, self.stage, self.attempt, outcome, self.started, **fields)
        raise (AirflowException if retry else AirflowFailException)(text)

    def lease(self, env: dict[str, str]) -> list[dict[str, Any]]:
        """GPUs for the stage: the worker's CUDA_VISIBLE_DEVICES when it sets one, none beyond the pool slots
        in pool-only mode (UPDRAFT_GPU_LEASE=pool), else leased."""
        need = stage_gpus(self.stage, self.run.values)
        if need == 0:
            return []
        pinned = os.environ.get("CUDA_VISIBLE_DEVICES", "")
        if pinned:
            self.attempt["gpus"] = [int(i) for i in pinned.split(",") if i.strip().isdigit()]
            return []
        from .gpu import NoGpu, lease_gpus, pool_only

        waited = time.monotonic()
        try:
            if pool_only():
                slots = int(getattr(self.op, "pool_slots", need))
                self.note(
                    "GPU lease: the Airflow pool's %d slot(s) (UPDRAFT_GPU_LEASE=pool); devices untouched" % slots
                )
                return []
            lease = lease_gpus(need, self.run.id, self.stage["id"], self._waiting)
        except NoGpu as error:
            self.fail("failed", str(error))
        env["CUDA_VISIBLE_DEVICES"] = ",".join(str(h["gpu"]) for h in lease)
        # As locally, the attempt starts once it holds its GPUs; the wait is recorded apart.
        wait_ms = int((time.monotonic() - waited) * 1000)
        self.attempt.update(gpus=[h["gpu"] for h in lease], gpuWaitMs=wait_ms, start=now_iso())
        self.started = time.monotonic()
        return lease

    def _waiting(self, text: str) -> None:
        self.op.log.info("[updraft] waiting for a GPU: %s", text)

    def _stopped(self, proc: subprocess.Popen[bytes], reader: threading.Thread, error: BaseException) -> NoReturn:
        """The task was stopped (timeout, kill): stop the group, close the attempt, re-raise."""
        own = isinstance(error, subprocess.TimeoutExpired)  # the stage's own timer (a GPU stage)
        timed_out = own or isinstance(error, AirflowTaskTimeout)
        seconds = self.stage.get("timeout_seconds") if own else None
        if timed_out and seconds is None:
            seconds = self.op.execution_timeout.total_seconds()
        why = "timed out after %ss" % js_text(seconds) if timed_out else "stopped"
        self.note("%s: sending SIGTERM to the process group, SIGKILL in %ss" % (why, GRACE_SECONDS))
        kill_group(proc)
        reader.join(1)
        code = proc.returncode
        end_attempt(
            self.run,
            self.stage,
            self.attempt,
            "timeout" if timed_out else "cancelled",
            self.started,
            exitCode=code if code is not None and code >= 0 else None,
            signal=signal.Signals(-code).name if code is not None and code < 0 else None,
        )
        if timed_out:  # an ordinary (retryable) failure: Airflow 2.10's dags test dies on the BaseException
            raise AirflowException(why) from error
        raise error

    def process(self, argv: list[str], cwd: str, env: dict[str, str], lease: list[dict[str, Any]]) -> int:
        """Run the process in its own group to its end; return its exit status (negative: signal)."""
        try:
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as error:
            self.fail("failed", "cannot start %s: %s" % (argv[0], error), retry=True)
        proc.updraft_marker = {k: env[k] for k in ("UPDRAFT_RUN_ID", "UPDRAFT_STAGE", "UPDRAFT_ATTEMPT")}  # type: ignore[attr-defined]
        if lease:
            from .gpu import set_lease_child

            set_lease_child(lease, proc.pid)
        self.op.running["proc"] = proc
        released = guard(proc, self._orphaned)
        try:
            return self._wait(proc)
        finally:
            released()

    def _wait(self, proc: subprocess.Popen[bytes]) -> int:
        assert proc.stdout is not None
        masker = Masker(plan_secrets(self.op.pipeline["plan_json"]))
        reader = threading.Thread(target=pump, args=(proc.stdout, self.log, self.op.log, masker), daemon=True)
        reader.start()
        try:
            # A GPU stage's timeout starts here, after its lease, as in updraft run (no execution_timeout).
            code = proc.wait(timeout=self.stage.get("timeout_seconds"))
        except BaseException as error:
            self._stopped(proc, reader, error)
        finally:
            self.op.running.pop("proc", None)
        left = escaped(proc)
        if group_alive(proc.pid) or left:
            where = "in its process group" if group_alive(proc.pid) else "outside its process group (%d)" % len(left)
            self.note("the stage left processes running %s; sending SIGTERM" % where)
            kill_group(proc)
        reader.join(1)  # a process that left the group may still hold the pipe
        return code

    def _orphaned(self) -> None:
        """Run by the guard (process.guard) when the task process died while the stage ran (SIGKILL, the
        out-of-memory killer): the stage's processes are stopped; the attempt ends failed, as Airflow
        fails (or retries) the task."""
        text = "the Airflow task process died while the stage ran: its processes were stopped; the attempt failed"
        with open(os.path.join(self.run.dir, self.attempt["log"]), "ab") as log:
            log.write(("[updraft] %s\n" % text).encode())
        end_attempt(self.run, self.stage, self.attempt, "failed", self.started)

    def judge(self, code: int, cwd: str, ti: Any) -> None:
        """Success only with every declared output there as `updraft run` checks it (paths.py); otherwise
        fail, retryably or not."""
        exit_code, sig = (code, None) if code >= 0 else (None, signal.Signals(-code).name)
        if self.op.running.pop("killed", False):
            self.fail("cancelled", "stopped", verdict=True, exitCode=exit_code, signal=sig)
        values = self.run.values
        if code == 0:
            declared = [resolve(output, values) for output in self.stage["outputs"]]
            for path in declared:
                text = output_problem(cwd, path)
                if text is not None:
                    self.fail("missing-output", text, verdict=True, exitCode=0)
            outputs = output_records(self.run.project_dir, cwd, declared)
            end_attempt(self.run, self.stage, self.attempt, "success", self.started, outputs, exitCode=0)
            return
        if exit_code in self.stage["non_retryable_exit_codes"]:
            text = "exit code %d is non-retryable: failed without a retry" % code
            self.fail("failed", text, verdict=True, exitCode=exit_code)
        tries = self.run.try_number
        delay = airflow_retry_delay(self.op, ti, tries) if tries <= self.op.retries else None
        text = ("exit code %d" % code) if sig is None else ("killed by %s" % sig)
        delay_ms = None if delay is None else int(delay * 1000)
        self.fail("failed", text, retry=True, verdict=True, exitCode=exit_code, signal=sig, retryDelayMs=delay_ms)


def run_task(op: Any, run: Run, ti: Any) -> None:
    """One try of a task stage, from its checks to its verdict."""
    stage = op.stage
    with open(os.path.join(run.dir, "logs", "%s.%d.log" % (stage["id"], run.try_number)), "ab", buffering=0) as log:
        attempt = TaskTry(op, run, log)
        missing = [n for n in stage["secret_env"] if n not in os.environ]
        if missing:
            attempt.fail("failed", "secret environment variable %s is not set on the worker" % ", ".join(missing))
        cwd = stage_cwd(stage, run)
        if not os.path.isdir(cwd):
            attempt.fail("failed", "working directory does not exist: %s" % cwd)
        for declared in stage.get("inputs", []):
            problem = input_problem(stage["id"], cwd, resolve(declared, run.values))
            if problem is not None:
                attempt.fail("failed", problem)
        env = stage_env(stage, run)
        command = stage["command"]
        shell = command["kind"] == "shell"
        argv = ["bash", "-c", command["script"]] if shell else resolve_argv(command["argv"], run.values)
        lease = attempt.lease(env)
        try:
            code = attempt.process(argv, cwd, env, lease)
        finally:
            if lease:
                from .gpu import release_gpus

                release_gpus(lease)
        attempt.judge(code, cwd, ti)


def run_gate(op: Any, run: Run) -> None:
    """A gate stage: evaluate its rules, keep the result beside the run, fail the task when it blocks."""
    from .gates.evaluate import evaluate_gate

    stage = op.stage
    attempt = new_attempt(run, stage)
    started = time.monotonic()
    secrets = plan_secrets(op.pipeline["plan_json"])
    try:
        # A metric may hold a secret's value, and a reason quotes what it compared: mask before it is kept or logged.
        result = mask_deep(evaluate_gate(stage["id"], stage["gate"], run.values, stage_cwd(stage, run)), secrets)
    except Exception as error:
        end_attempt(run, stage, attempt, "failed", started)
        why = mask_deep(str(error), secrets)
        raise AirflowFailException("gate %s could not be evaluated: %s" % (stage["id"], why)) from error
    targets = [os.path.join(run.dir, "gates", "%s.json" % stage["id"])]
    if stage["gate"].get("record"):  # the second place the gate names, as updraft run writes it
        targets.append(os.path.join(stage_cwd(stage, run), resolve(stage["gate"]["record"], run.values)))
    try:
        for target in targets:
            os.makedirs(os.path.dirname(os.path.normpath(target)), exist_ok=True)
            write_json(os.path.normpath(target), result)
    except OSError as error:
        end_attempt(run, stage, attempt, "failed", started)
        raise AirflowFailException("gate %s result not recorded: %s" % (stage["id"], error)) from error
    for rule in result["rules"]:
        op.log.info("%s %s", "PASS" if rule["passed"] else "FAIL", rule["reason"])
    blocked = result["verdict"] == "FAIL" and result["severity"] == "block"
    end_attempt(run, stage, attempt, "failed" if blocked else "success", started)
    op.log.info("gate %s: %s (%s): %s", stage["id"], result["verdict"], result["severity"], result["reason"])
    if blocked:
        raise AirflowFailException("gate %s failed: %s" % (stage["id"], result["reason"]))
