/**
 * The pipeline's `maxActiveRuns`, enforced on this machine: a run holds one of N slot files under
 * `<runs dir>/.locks/<pipeline id>/run-<i>.lock` while it runs. A slot file appears whole and
 * exclusively (a written temporary file is hard-linked to the slot name, which fails with EEXIST),
 * so a reader never sees half of one. A slot whose runner is dead and whose stage processes (found
 * by the UPDRAFT_RUN_ID they inherit) are all gone is reclaimed, as GPU leases are.
 */
import { randomBytes } from "node:crypto";
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Plan } from "../../../plan/schema.js";
import { RunSetupError } from "../errors.js";
import type { RunOptions } from "../options.js";
import { storageError } from "./storage.js";
import { isAlive, processesWithEnv, processStartTime } from "../process/proc.js";

/** Who holds a run slot, as written in its file. */
export interface RunHolder {
  readonly runId: string;
  readonly pid: number;
  readonly pidStart: string | null;
  readonly host: string;
  readonly since: string;
}

/** A held slot; `release` removes its file (only while it is still ours). */
export interface RunSlot {
  readonly file: string;
  release(): void;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

function readHolder(file: string): RunHolder | null {
  const text = readText(file);
  return text === null ? null : parseHolder(text);
}

function parseHolder(text: string): RunHolder | null {
  try {
    const data = JSON.parse(text) as Partial<RunHolder>;
    if (typeof data.pid !== "number" || typeof data.runId !== "string") return null;
    return {
      runId: data.runId,
      pid: data.pid,
      pidStart: data.pidStart ?? null,
      host: String(data.host),
      since: String(data.since),
    };
  } catch {
    return null;
  }
}

/**
 * Whether a slot's run still goes on: its runner lives, or a process it started does (unless
 * `successorOf` names it: a resume stops those itself).
 */
function runAlive(h: RunHolder, successorOf: string | null): boolean {
  // A slot taken on another host (a shared runs dir) cannot be checked from here: assume it is live.
  if (h.host !== os.hostname()) return true;
  if (isAlive(h.pid, h.pidStart)) return true;
  return h.runId !== successorOf && processesWithEnv("UPDRAFT_RUN_ID", h.runId).length > 0;
}

function unlinkQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

/** Remove a dead holder's slot, unless someone replaced it meanwhile (one reclaimer at a time). */
function reclaim(file: string, staleText: string): void {
  const mutex = `${file}.reclaim`;
  try {
    closeSync(openSync(mutex, "wx"));
  } catch {
    // Another run is reclaiming it; a mutex left by a crash is cleared after a while.
    try {
      if (Date.now() - statSync(mutex).mtimeMs > 10_000) unlinkQuiet(mutex);
    } catch {
      // Gone already.
    }
    return;
  }
  try {
    if (readText(file) === staleText) unlinkQuiet(file);
  } finally {
    unlinkQuiet(mutex);
  }
}

/** Take slot `file` for `mine`: null on success, else the live holder. */
function take(file: string, mine: RunHolder, successorOf: string | null): RunHolder | null {
  for (let tries = 0; tries < 3; tries++) {
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    try {
      writeFileSync(tmp, JSON.stringify(mine));
      linkSync(tmp, file);
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw storageError(error, file);
    } finally {
      unlinkQuiet(tmp);
    }
    const text = readText(file);
    if (text === null) continue;
    const holder = parseHolder(text);
    if (holder !== null && runAlive(holder, successorOf)) return holder;
    reclaim(file, text);
  }
  return readHolder(file) ?? { ...mine, runId: "(unknown)", pid: 0 };
}

/**
 * Take one of `max` run slots of pipeline `pipelineId` under `runsDir`. Without `wait`, resolves
 * to the holders when all are taken; with it, polls until one is free (or `signal` aborts).
 *
 * @example
 * ```ts
 * const got = await takeRunSlot(runsDir, "rwkv", 1, runId, { wait: false });
 * if ("holders" in got) throw new Error(`run ${got.holders[0].runId} is running`);
 * ```
 */
export async function takeRunSlot(
  runsDir: string,
  pipelineId: string,
  max: number,
  runId: string,
  options: {
    wait: boolean;
    signal?: AbortSignal;
    pollMs?: number;
    onWait?: (holders: RunHolder[]) => void;
    successorOf?: string;
  },
): Promise<{ slot: RunSlot } | { holders: RunHolder[] }> {
  const dir = path.join(runsDir, ".locks", pipelineId);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw storageError(error, dir);
  }
  const mine: RunHolder = {
    runId,
    pid: process.pid,
    pidStart: processStartTime(process.pid),
    host: os.hostname(),
    since: new Date().toISOString(),
  };
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const holders: RunHolder[] = [];
    for (let i = 0; i < max; i++) {
      const file = path.join(dir, `run-${i}.lock`);
      const holder = take(file, mine, options.successorOf ?? null);
      if (holder === null) return { slot: { file, release: () => releaseSlot(file, mine) } };
      holders.push(holder);
    }
    if (!options.wait) return { holders };
    if (!told) options.onWait?.(holders);
    told = true;
    await sleep(options.pollMs ?? 250, undefined, options.signal ? { signal: options.signal } : {});
  }
}

function releaseSlot(file: string, mine: RunHolder): void {
  const now = readHolder(file);
  if (now !== null && now.runId === mine.runId && now.pid === mine.pid) unlinkQuiet(file);
}

/**
 * One of the pipeline's `maxActiveRuns` slots in `runsDir` for run `runId`: waits for one with
 * `options.wait`, else throws a RunSetupError naming the runs that hold them.
 *
 * @example
 * ```ts
 * const slot = await holdRunSlot(plan, runId, ".updraft/runs", { wait: false });
 * try { ... } finally { slot.release(); }
 * ```
 */
export async function holdRunSlot(plan: Plan, runId: string, runsDir: string, options: RunOptions): Promise<RunSlot> {
  const max = plan.pipeline.maxActiveRuns;
  const show = (holders: RunHolder[]) => {
    if (options.output === "silent") return;
    (options.stream ?? process.stderr).write(`waiting: ${describeRuns(plan, holders)} (maxActiveRuns ${max})\n`);
  };
  const got = await takeRunSlot(runsDir, plan.pipeline.id, max, runId, {
    wait: options.wait ?? false,
    onWait: show,
    ...(options.signal ? { signal: options.signal } : {}),
    // Resuming a run whose runner died: its slot is ours to take; its leftovers are stopped next.
    ...(options.resume ? { successorOf: options.resume.runId } : {}),
  });
  if ("slot" in got) return got.slot;
  throw new RunSetupError(
    `${describeRuns(plan, got.holders)}; maxActiveRuns is ${max}`,
    `wait for it with --wait, or stop it first; runs of one pipeline in one runs directory would overwrite each other's outputs`,
  );
}

function describeRuns(plan: Plan, holders: readonly RunHolder[]): string {
  const runs = holders.map((h) => `${h.runId} (pid ${h.pid}, since ${h.since})`).join(", ");
  return `pipeline "${plan.pipeline.id}" is already running in this runs directory: run ${runs}`;
}
