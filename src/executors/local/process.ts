/**
 * One attempt as a process: spawned as the leader of its own process group (so a timeout or a
 * stop reaches everything it started), stdout and stderr interleaved into one log file, secret
 * values masked, SIGTERM then SIGKILL after a grace period, and nothing left behind when it ends.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { messageOf } from "./errors.js";
import { Masker } from "./mask.js";
import { groupAlive, signalGroup } from "./proc.js";

/** What to run and how to watch it. */
export interface ProcessSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The whole environment of the process. */
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

function note(fd: number, text: string): void {
  writeSync(fd, `[updraft] ${text}\n`);
}

/** Start the process as the leader of a new process group (detached), stdin closed. */
function spawnChild(spec: ProcessSpec, stdio: "pipe" | number) {
  const options = { cwd: spec.cwd, env: { ...spec.env }, extendEnv: false, detached: true, cleanup: false, reject: false, buffer: false, stdin: "ignore" } as const;
  if (stdio === "pipe") return execa(spec.file, [...spec.args], { ...options, stdout: "pipe", stderr: "pipe" });
  // execa's types accept only literal descriptor numbers; any open descriptor works at run time.
  const fd = stdio as 3;
  return execa(spec.file, [...spec.args], { ...options, stdout: fd, stderr: fd });
}

type Child = ReturnType<typeof spawnChild>;

/** Copy a piped stream into the log through a masker, and into lines for `onLine`. */
function drain(stream: Readable | null, fd: number, secrets: readonly string[], onLine: ((line: string) => void) | null): void {
  if (!stream) return;
  const masker = new Masker(secrets);
  const decoder = new StringDecoder("utf8");
  let partial = "";
  const emit = (bytes: Buffer, final: boolean) => {
    if (bytes.length > 0) writeSync(fd, bytes);
    if (!onLine) return;
    const lines = (partial + decoder.write(bytes) + (final ? decoder.end() : "")).split("\n");
    partial = final ? "" : (lines.pop() ?? "");
    for (const line of final ? lines.filter((l, i) => l !== "" || i < lines.length - 1) : lines) onLine(line);
  };
  stream.on("data", (chunk: Buffer) => emit(masker.push(chunk), false));
  stream.on("end", () => emit(masker.end(), true));
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
async function sweep(pgid: number, spec: ProcessSpec, fd: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  note(fd, "the stage left processes running in its process group; sending SIGTERM");
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
  const fd = openSync(spec.logFile, "a");
  const piped = spec.secrets.some((s) => s !== "") || spec.onLine !== null;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let child: Child;
  try {
    child = spawnChild(spec, piped ? "pipe" : fd);
  } catch (error) {
    note(fd, `cannot start ${spec.file}: ${messageOf(error)}`);
    closeSync(fd);
    return { how: "start-error", exitCode: null, signal: null, error: messageOf(error), durationMs: elapsed() };
  }
  const pid = child.pid;
  if (pid === undefined) {
    const result = await child;
    const reason = (result as { originalMessage?: string }).originalMessage ?? result.message ?? "unknown error";
    note(fd, `cannot start ${spec.file}: ${reason}`);
    closeSync(fd);
    return { how: "start-error", exitCode: null, signal: null, error: reason, durationMs: elapsed() };
  }
  spec.onSpawn?.(pid);
  if (piped) {
    drain(child.stdout, fd, spec.secrets, spec.onLine);
    drain(child.stderr, fd, spec.secrets, spec.onLine);
  }
  const end = await watch(child, pid, spec, fd);
  await sweep(pid, spec, fd);
  // Streams end once every process holding them is gone; a process that left the group may not be.
  const settled = await Promise.race([child.then(() => true), sleep(1000, false)]);
  if (!settled) {
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
  closeSync(fd);
  return { ...end, durationMs: elapsed() };
}

/** Wait for the leader's exit, enforcing the timeout and the stop and kill signals. */
function watch(child: Child, pid: number, spec: ProcessSpec, fd: number): Promise<Omit<ProcessEnd, "durationMs">> {
  return new Promise((resolve) => {
    let how: ProcessEnd["how"] = "exited";
    let grace: NodeJS.Timeout | null = null;
    const terminate = (why: "timeout" | "cancelled", text: string) => {
      if (how !== "exited") return;
      how = why;
      note(fd, `${text}: sending SIGTERM to the process group, SIGKILL in ${spec.graceMs / 1000}s`);
      signalGroup(pid, "SIGTERM");
      grace = setTimeout(() => signalGroup(pid, "SIGKILL"), spec.graceMs);
    };
    const onStop = () => terminate("cancelled", "stopped");
    const onKill = () => {
      if (how === "exited") how = "cancelled";
      signalGroup(pid, "SIGKILL");
    };
    const timer = spec.timeoutMs === null ? null : setTimeout(() => terminate("timeout", `timed out after ${spec.timeoutMs! / 1000}s`), spec.timeoutMs);
    spec.stop.addEventListener("abort", onStop, { once: true });
    spec.kill.addEventListener("abort", onKill, { once: true });
    if (spec.stop.aborted) onStop();
    if (spec.kill.aborted) onKill();
    child.once("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (grace) clearTimeout(grace);
      spec.stop.removeEventListener("abort", onStop);
      spec.kill.removeEventListener("abort", onKill);
      resolve({ how, exitCode: code, signal, error: null });
    });
  });
}
