/**
 * One attempt as a process: spawned as the leader of its own process group (so a timeout or a
 * stop reaches everything it started), stdout and stderr interleaved into one log file, secret
 * values masked, SIGTERM then SIGKILL after a grace period, and nothing left behind when it ends.
 * A process that leaves the group (`setsid`) is still found on Linux by the marker variables
 * every process of the attempt inherits (UPDRAFT_RUN_ID, UPDRAFT_STAGE, UPDRAFT_ATTEMPT).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { firstLine } from "../../../common/errors.js";
import {
  forkCountSoFar,
  groupAlive,
  lastPid,
  processesMarked,
  processStartTime,
  signalGroup,
  signalPid,
} from "./proc.js";
import { launchHere, type Exit, type Running } from "./launch-here.js";
import type { Spawner } from "./spawner.js";

/** What to run and how to watch it. */
export interface ProcessSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The environment the process starts from (the runner's), and what the stage adds to it. */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  /** Absolute path of the attempt's log (appended to). */
  readonly logFile: string;
  readonly timeoutMs: number | null;
  /** Time between SIGTERM and SIGKILL. */
  readonly graceMs: number;
  /** Values to mask in the log and in streamed output. */
  readonly secrets: readonly string[];
  /** Called with each complete output line and each `\r` progress update (for `--verbose`), or null. */
  readonly onLine: ((line: string, progress: boolean) => void) | null;
  /** Aborted: stop gracefully (SIGTERM, then SIGKILL after the grace period). */
  readonly stop: AbortSignal;
  /** Aborted: SIGKILL at once. */
  readonly kill: AbortSignal;
  readonly onSpawn?: (pid: number) => void;
  /** Variables every process of this attempt inherits: what finds one that left the process group. */
  readonly marker?: Readonly<Record<string, string>>;
  /** Stdin, stdout and stderr are this process's (the terminal), in its process group: nothing logged. */
  readonly interactive?: boolean;
  /** Starts processes whose output goes straight to the log; null: start them here. */
  readonly spawner: Spawner | null;
}

/** How the process ended. */
export interface ProcessEnd {
  readonly how: "exited" | "timeout" | "cancelled" | "start-error";
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Why it could not start, for `start-error`. */
  readonly error: string | null;
  readonly durationMs: number;
}

/** The attempt's log as the runner writes to it: opened on first use (most attempts need no note). */
class Log {
  private opened: number | null;
  constructor(
    private readonly file: string,
    eager: boolean,
  ) {
    this.opened = eager ? openSync(file, "a") : null;
  }
  get fd(): number {
    return (this.opened ??= openSync(this.file, "a"));
  }
  close(): void {
    if (this.opened !== null) closeSync(this.opened);
    this.opened = null;
  }
}

function note(log: Log, text: string): void {
  try {
    writeSync(log.fd, `[updraft] ${text}\n`);
  } catch {
    // A full disk: the note is lost, the attempt still ends and is recorded in the manifest.
  }
}

/**
 * The attempt's leader: its pid, which is also its process group, and the machine's fork count
 * taken before it started (see NewerThan).
 */
interface Leader {
  readonly pgid: number;
  readonly forks: number | null;
}

/** Leaders of this runner's attempts not yet swept: each group belongs to its own attempt. */
const leaders = new Set<number>();

let runnerStart: number | null | undefined;

/**
 * A start time (clock ticks since boot) no later than any attempt's: the runner's, which started
 * the helper that started them, read once. A sweep searches only processes with later pids than
 * the leader's (see NewerThan); when pids may have wrapped round, those started after the runner.
 * The leader's own start time would cost a read per attempt, and by the time of a sweep the
 * leader has mostly been reaped.
 */
function attemptsSince(): number | null {
  if (runnerStart === undefined) {
    const ticks = Number(processStartTime(process.pid) ?? NaN);
    runnerStart = Number.isFinite(ticks) ? ticks : null;
  }
  return runnerStart;
}

/** Processes of the attempt outside its process group (they carry its marker but left the group). */
function escaped(at: Leader, spec: ProcessSpec): number[] {
  // No process has started on this machine since the leader did: none can have left its group.
  if (!spec.marker || lastPid() === at.pgid) return [];
  const others = new Set([...leaders].filter((pgid) => pgid !== at.pgid));
  return processesMarked(spec.marker, attemptsSince(), { pid: at.pgid, forks: at.forks, others }).flatMap((p) =>
    p.pgrp === at.pgid ? [] : [p.pid],
  );
}

/** Signal every process of the attempt: its group, and those that left it. */
function signalAttempt(at: Leader, spec: ProcessSpec, signal: NodeJS.Signals): void {
  signalGroup(at.pgid, signal);
  for (const pid of escaped(at, spec)) signalPid(pid, signal);
}

function attemptAlive(at: Leader, spec: ProcessSpec): boolean {
  return groupAlive(at.pgid) || escaped(at, spec).length > 0;
}

/** Wait until no live process of the attempt is left, or `ms` has passed. */
async function attemptGone(at: Leader, spec: ProcessSpec, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (attemptAlive(at, spec)) {
    if (spec.kill.aborted || performance.now() >= until) return false;
    await sleep(25);
  }
  return true;
}

/** Remove whatever the attempt left running after its leader exited. */
async function sweep(at: Leader, spec: ProcessSpec, log: Log): Promise<void> {
  const inGroup = groupAlive(at.pgid);
  const outside = escaped(at, spec).length;
  if (!inGroup && outside === 0) return;
  const where = inGroup ? "in its process group" : `outside its process group (${outside})`;
  note(log, `the stage left processes running ${where}; sending SIGTERM`);
  signalAttempt(at, spec, "SIGTERM");
  if (!(await attemptGone(at, spec, spec.graceMs))) signalAttempt(at, spec, "SIGKILL");
}

/**
 * Run one attempt to its end. Never throws for the process's own failures.
 *
 * @example
 * ```ts
 * const end = await runProcess({ file: "bash", args: ["-c", "make"], cwd, env, logFile, timeoutMs: 60_000,
 *   graceMs: 5000, secrets: [], onLine: null, stop: ac.signal, kill: hard.signal });
 * ```
 */
export async function runProcess(spec: ProcessSpec): Promise<ProcessEnd> {
  const piped = !spec.interactive && (spec.secrets.some((s) => s !== "") || spec.onLine !== null);
  const here = piped || spec.interactive === true || !spec.spawner?.usable;
  const log = new Log(spec.logFile, here);
  if (spec.interactive) note(log, "interactive: the stage's input and output went to the terminal, not to this log");
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const forks = forkCountSoFar();
  const launched = here ? await launchHere(spec, log.fd, piped) : launchByHelper(spec, spec.spawner!);
  let pid: number;
  try {
    pid = await launched.pid;
  } catch (error) {
    note(log, `cannot start ${spec.file}: ${firstLine(error)}`);
    log.close();
    return { how: "start-error", exitCode: null, signal: null, error: firstLine(error), durationMs: elapsed() };
  }
  spec.onSpawn?.(pid);
  const at: Leader = { pgid: pid, forks };
  leaders.add(pid);
  try {
    const end = await watch(launched.exit, at, spec, log);
    await sweep(at, spec, log);
    await launched.done();
    log.close();
    return { ...end, durationMs: elapsed() };
  } finally {
    leaders.delete(pid);
  }
}

function launchByHelper(spec: ProcessSpec, spawner: Spawner): Running {
  const { pid, exit } = spawner.launch({
    file: spec.file,
    args: spec.args,
    cwd: spec.cwd,
    env: spec.env,
    log: spec.logFile,
  });
  return { pid, exit, done: async () => undefined };
}

/** Wait for the leader's exit, enforcing the timeout and the stop and kill signals. */
function watch(exit: Promise<Exit>, at: Leader, spec: ProcessSpec, log: Log): Promise<Omit<ProcessEnd, "durationMs">> {
  return new Promise((resolve) => {
    let how: ProcessEnd["how"] = "exited";
    let grace: NodeJS.Timeout | null = null;
    const terminate = (why: "timeout" | "cancelled", text: string) => {
      if (how !== "exited") return;
      how = why;
      note(log, `${text}: sending SIGTERM to the process group, SIGKILL in ${spec.graceMs / 1000}s`);
      signalAttempt(at, spec, "SIGTERM");
      grace = setTimeout(() => signalAttempt(at, spec, "SIGKILL"), spec.graceMs);
    };
    const onStop = () => terminate("cancelled", "stopped");
    const onKill = () => {
      if (how === "exited") how = "cancelled";
      signalAttempt(at, spec, "SIGKILL");
    };
    const timer =
      spec.timeoutMs === null
        ? null
        : setTimeout(() => terminate("timeout", `timed out after ${spec.timeoutMs! / 1000}s`), spec.timeoutMs);
    spec.stop.addEventListener("abort", onStop, { once: true });
    spec.kill.addEventListener("abort", onKill, { once: true });
    if (spec.stop.aborted) onStop();
    if (spec.kill.aborted) onKill();
    void exit.then(({ code, signal }) => {
      if (timer) clearTimeout(timer);
      if (grace) clearTimeout(grace);
      spec.stop.removeEventListener("abort", onStop);
      spec.kill.removeEventListener("abort", onKill);
      resolve({ how, exitCode: code, signal, error: null });
    });
  });
}
