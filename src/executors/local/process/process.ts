/**
 * One attempt as a process: spawned as the leader of its own process group (so a timeout or a
 * stop reaches everything it started), stdout and stderr interleaved into one log file, secret
 * values masked, SIGTERM then SIGKILL after a grace period, and nothing left behind when it ends.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { firstLine } from "../../../common/errors.js";
import { groupAlive, signalGroup } from "./proc.js";
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
  /** Called with each complete output line (for `--verbose`), or null. */
  readonly onLine: ((line: string) => void) | null;
  /** Aborted: stop gracefully (SIGTERM, then SIGKILL after the grace period). */
  readonly stop: AbortSignal;
  /** Aborted: SIGKILL at once. */
  readonly kill: AbortSignal;
  readonly onSpawn?: (pid: number) => void;
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
  writeSync(log.fd, `[updraft] ${text}\n`);
}

/** Wait until no live process is left in the group, or `ms` has passed. */
async function groupGone(pgid: number, ms: number, kill: AbortSignal): Promise<boolean> {
  const until = performance.now() + ms;
  while (groupAlive(pgid)) {
    if (kill.aborted || performance.now() >= until) return false;
    await sleep(25);
  }
  return true;
}

/** Remove whatever the attempt left in its process group after its leader exited. */
async function sweep(pgid: number, spec: ProcessSpec, log: Log): Promise<void> {
  if (!groupAlive(pgid)) return;
  note(log, "the stage left processes running in its process group; sending SIGTERM");
  signalGroup(pgid, "SIGTERM");
  if (!(await groupGone(pgid, spec.graceMs, spec.kill))) signalGroup(pgid, "SIGKILL");
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
  const piped = spec.secrets.some((s) => s !== "") || spec.onLine !== null;
  const here = piped || !spec.spawner?.usable;
  const log = new Log(spec.logFile, here);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const launched = here ? launchHere(spec, log.fd, piped) : launchByHelper(spec, spec.spawner!);
  let pid: number;
  try {
    pid = await launched.pid;
  } catch (error) {
    note(log, `cannot start ${spec.file}: ${firstLine(error)}`);
    log.close();
    return { how: "start-error", exitCode: null, signal: null, error: firstLine(error), durationMs: elapsed() };
  }
  spec.onSpawn?.(pid);
  const end = await watch(launched.exit, pid, spec, log);
  await sweep(pid, spec, log);
  await launched.done();
  log.close();
  return { ...end, durationMs: elapsed() };
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
function watch(exit: Promise<Exit>, pid: number, spec: ProcessSpec, log: Log): Promise<Omit<ProcessEnd, "durationMs">> {
  return new Promise((resolve) => {
    let how: ProcessEnd["how"] = "exited";
    let grace: NodeJS.Timeout | null = null;
    const terminate = (why: "timeout" | "cancelled", text: string) => {
      if (how !== "exited") return;
      how = why;
      note(log, `${text}: sending SIGTERM to the process group, SIGKILL in ${spec.graceMs / 1000}s`);
      signalGroup(pid, "SIGTERM");
      grace = setTimeout(() => signalGroup(pid, "SIGKILL"), spec.graceMs);
    };
    const onStop = () => terminate("cancelled", "stopped");
    const onKill = () => {
      if (how === "exited") how = "cancelled";
      signalGroup(pid, "SIGKILL");
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
