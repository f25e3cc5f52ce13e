/**
 * `updraft gc`: which run directories to remove, and removing them. Never removed: the newest N,
 * the newest successful run of each pipeline (the last known-good record), and a run still in
 * progress (a live runner here, or one on another host or in Airflow that cannot be checked).
 * Folders that are not readable runs are never touched.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { runnerAlive, type RunHead } from "./run-view.js";

/** What gc would do. */
export interface GcPlan {
  remove: RunHead[];
  keep: { run: RunHead; why: string }[];
}

function keepReason(run: RunHead, index: number, keepCount: number, newestGood: ReadonlySet<string>): string | null {
  if (index < keepCount) return `one of the newest ${keepCount}`;
  if (newestGood.has(run.id)) return `newest successful run of ${run.pipelineId}`;
  if (run.status === "running")
    return runnerAlive(run) === true ? "still running" : "recorded as running; its runner cannot be checked from here";
  return null;
}

/**
 * Decide which runs to remove; `runs` must be newest first.
 *
 * @example
 * ```ts
 * const { remove } = planGc(runs, 20);
 * ```
 */
export function planGc(runs: readonly RunHead[], keepCount: number): GcPlan {
  const newestGood = new Set<string>();
  const seen = new Set<string>();
  for (const run of runs) {
    if (run.status !== "success" || seen.has(run.pipelineId)) continue;
    seen.add(run.pipelineId);
    newestGood.add(run.id);
  }
  const plan: GcPlan = { remove: [], keep: [] };
  runs.forEach((run, i) => {
    const why = keepReason(run, i, keepCount, newestGood);
    if (why) plan.keep.push({ run, why });
    else plan.remove.push(run);
  });
  return plan;
}

/**
 * Remove run directories that sit directly under `root`; returns the failures as messages.
 *
 * @example
 * ```ts
 * const errors = await removeRuns(root, planGc(runs, 20).remove);
 * ```
 */
export async function removeRuns(root: string, runs: readonly RunHead[]): Promise<string[]> {
  const errors: string[] = [];
  for (const run of runs) {
    // A run read from elsewhere (a symlink target, a bad path) is not ours to delete.
    if (path.dirname(path.resolve(run.dir)) !== path.resolve(root)) {
      errors.push(`${run.dir}: not directly under ${root}, left alone`);
      continue;
    }
    await rm(run.dir, { recursive: true, force: true }).catch((e: Error) => errors.push(`${run.dir}: ${e.message}`));
  }
  return errors;
}
