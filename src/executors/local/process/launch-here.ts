/**
 * Starting a stage process from the runner itself, with execa: needed when its output passes
 * through the runner (secrets to mask, `--verbose` lines), and the fallback when the process
 * starter is gone. The process leads a new process group; stdin is closed. An interactive stage
 * (`run --only STAGE --interactive`) instead shares the runner's terminal and process group.
 */
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { setTimeout as sleep } from "node:timers/promises";
import { writeSync } from "node:fs";
import type { execa as Execa } from "execa";
import { Masker } from "./mask.js";
import { OutputCutter } from "./output-lines.js";
import type { ProcessSpec } from "./process.js";

/** How a process ended. */
export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** A started process: its pid (or why it did not start), its exit, and its output closing. */
export interface Running {
  readonly pid: Promise<number>;
  readonly exit: Promise<Exit>;
  /** Resolves when the output streams are closed too. */
  done(): Promise<void>;
}

let loading: Promise<typeof Execa> | null = null;

/** execa, imported on first use: a run whose stages are all up to date never loads it. */
function loadExeca(): Promise<typeof Execa> {
  return (loading ??= import("execa").then((m) => m.execa));
}

/** Start the process as the leader of a new process group (detached), stdin closed; or on the terminal. */
function spawnChild(execa: typeof Execa, spec: ProcessSpec, stdio: "pipe" | number) {
  // The terminal's: in this process group, so that it is the terminal's foreground job as updraft is.
  if (spec.interactive)
    return execa(spec.file, [...spec.args], {
      cwd: spec.cwd,
      env: { ...spec.baseEnv, ...spec.env },
      extendEnv: false,
      cleanup: false,
      reject: false,
      buffer: false,
      stdio: "inherit",
    });
  const options = {
    cwd: spec.cwd,
    env: { ...spec.baseEnv, ...spec.env },
    extendEnv: false,
    detached: true,
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: "ignore",
  } as const;
  if (stdio === "pipe") return execa(spec.file, [...spec.args], { ...options, stdout: "pipe", stderr: "pipe" });
  // execa's types accept only literal descriptor numbers; any open descriptor works at run time.
  const fd = stdio as 3;
  return execa(spec.file, [...spec.args], { ...options, stdout: fd, stderr: fd });
}

type Child = ReturnType<typeof spawnChild>;

/** Copy a piped stream into the log through a masker, and into lines and `\r` progress updates for `onLine`. */
function drain(
  stream: Readable | null,
  fd: number,
  secrets: readonly string[],
  onLine: ((line: string, progress: boolean) => void) | null,
): void {
  if (!stream) return;
  const masker = new Masker(secrets);
  const decoder = new StringDecoder("utf8");
  const cutter = new OutputCutter();
  const emit = (bytes: Buffer, final: boolean) => {
    try {
      if (bytes.length > 0) writeSync(fd, bytes);
    } catch {
      // A full disk: this output is lost from the log (the stage itself sees no error).
    }
    if (!onLine) return;
    const pieces = cutter.push(decoder.write(bytes) + (final ? decoder.end() : ""));
    for (const p of final ? [...pieces, ...cutter.end()] : pieces) onLine(p.text, p.progress);
  };
  stream.on("data", (chunk: Buffer) => emit(masker.push(chunk), false));
  stream.on("end", () => emit(masker.end(), true));
}

/**
 * Wait for the output pipes to close. They close once every process holding them is gone, but a
 * process that left the group (setsid) may hold them for ever: give up after a second.
 */
async function streamsClosed(child: Child): Promise<void> {
  const ac = new AbortController();
  const settled = await Promise.race([
    child.then(() => true),
    sleep(1000, false, { signal: ac.signal }).catch(() => false),
  ]);
  ac.abort();
  if (!settled) {
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
}

/**
 * Start `spec` from this process: output to `fd` directly, or piped through the masker (and to
 * `onLine`) when `piped`.
 *
 * @example
 * ```ts
 * const running = await launchHere(spec, fd, true);
 * const pid = await running.pid;
 * ```
 */
export async function launchHere(spec: ProcessSpec, fd: number, piped: boolean): Promise<Running> {
  let child: Child;
  try {
    child = spawnChild(await loadExeca(), spec, piped ? "pipe" : fd);
  } catch (error) {
    return {
      pid: Promise.reject(error as Error),
      exit: Promise.resolve({ code: null, signal: null }),
      done: async () => undefined,
    };
  }
  const exit = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  if (piped) {
    drain(child.stdout, fd, spec.secrets, spec.onLine);
    drain(child.stderr, fd, spec.secrets, spec.onLine);
  }
  const pid =
    child.pid !== undefined
      ? Promise.resolve(child.pid)
      : child.then((r) =>
          Promise.reject(
            new Error((r as { originalMessage?: string }).originalMessage ?? r.message ?? "unknown error"),
          ),
        );
  return { pid, exit, done: () => (piped ? streamsClosed(child) : child.then(() => undefined)) };
}
