/**
 * GPU lease files: what one holds, and whether its holder still lives.
 */
import { readFileSync, statSync, unlinkSync } from "node:fs";
import os from "node:os";
import { groupAlive, isAlive, processesMarked } from "../process/proc.js";

/** Who holds a GPU, as written in its lock file. */
export interface LeaseHolder {
  readonly gpu: number;
  readonly pid: number;
  readonly pidStart: string | null;
  readonly host: string;
  readonly runId: string;
  readonly stage: string;
  readonly since: string;
  /** The stage's process (group leader), once started: a lease stays live while it runs. */
  readonly childPid: number | null;
}

/**
 * A file's text, or null when it cannot be read (gone already).
 *
 * @example
 * ```ts
 * readText("/tmp/updraft-gpu-leases/gpu-0.lock"); // '{"pid":4242,...}' or null
 * ```
 */
export function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/**
 * The holder a lease file names, or null when it is not a lease.
 *
 * @example
 * ```ts
 * parseHolder(readFileSync("/tmp/updraft-gpu-leases/gpu-0.lock", "utf8"), 0); // { gpu: 0, pid: 4242, ... }
 * ```
 */
export function parseHolder(text: string, gpu: number): LeaseHolder | null {
  try {
    const data = JSON.parse(text) as Partial<LeaseHolder>;
    if (typeof data.pid !== "number" || typeof data.host !== "string") return null;
    return {
      gpu,
      pid: data.pid,
      pidStart: data.pidStart ?? null,
      host: data.host,
      runId: String(data.runId),
      stage: String(data.stage),
      since: String(data.since),
      childPid: data.childPid ?? null,
    };
  } catch {
    return null;
  }
}

/**
 * Whether a lease is live: its runner lives, or its stage does. A runner killed just after it
 * started the stage leaves a lease whose `childPid` is still null, so the stage is also found by
 * the marker variables every stage process inherits (UPDRAFT_RUN_ID and UPDRAFT_STAGE, Linux; the
 * one gap left is a runner killed between fork and exec of the stage, well under a millisecond).
 * A lease from another host counts as live: it cannot be checked from here.
 *
 * @example
 * ```ts
 * holderAlive({ ...holder, pid: process.pid }); // true
 * ```
 */
export function holderAlive(h: LeaseHolder): boolean {
  if (h.host !== os.hostname()) return true;
  if (isAlive(h.pid, h.pidStart) || (h.childPid !== null && groupAlive(h.childPid))) return true;
  return processesMarked({ UPDRAFT_RUN_ID: h.runId, UPDRAFT_STAGE: h.stage }).length > 0;
}

/**
 * Whether a lease file's text is exactly the lease `h` (same runner, run, stage and start).
 *
 * @example
 * ```ts
 * isMine(readText(file), holder); // true while we hold it
 * ```
 */
export function isMine(text: string | null, h: LeaseHolder): boolean {
  const found = text === null ? null : parseHolder(text, h.gpu);
  return (
    found !== null &&
    found.pid === h.pid &&
    found.runId === h.runId &&
    found.stage === h.stage &&
    found.since === h.since
  );
}

/**
 * Milliseconds since a file was last modified (0 when it is gone).
 *
 * @example
 * ```ts
 * ageMs("/tmp/updraft-gpu-leases/gpu-0.lock.reclaim"); // 12
 * ```
 */
export function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Remove a file that may already be gone.
 *
 * @example
 * ```ts
 * unlinkQuiet("/tmp/updraft-gpu-leases/gpu-0.lock");
 * ```
 */
export function unlinkQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
