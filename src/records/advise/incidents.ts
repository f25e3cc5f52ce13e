/**
 * What counts as an orchestration incident, and what as manual recovery. A run that failed because
 * the user's code exited non-zero, or because a quality gate said FAIL, is not an incident: that is
 * the pipeline working. Timeouts, interruptions, cancellations, missing outputs and long waits for
 * the GPU are: a scheduler with pools and retries would have handled them. A local run its user
 * stopped (Ctrl-C) is not an incident either, and continuing it is not a manual recovery.
 */
import type { Attempt } from "../manifest.js";
import type { RunHead } from "../run-view.js";
import { formatMs } from "../time.js";

const OUTCOME_CAUSE: Partial<Record<Attempt["outcome"], string>> = {
  timeout: "timed out",
  "missing-output": "did not write its declared outputs",
  cancelled: "was cancelled",
};

/**
 * Why a run is an orchestration incident, or null when it is not one.
 *
 * @example
 * ```ts
 * incidentCause(run, 15 * 60_000); // 'stage "train" timed out'
 * ```
 */
export function incidentCause(run: RunHead, gpuWaitLimitMs: number): string | null {
  if (run.status === "interrupted")
    return `interrupted (runner gone)${run.failedStage ? ` while "${run.failedStage}" was running` : ""}`;
  if (userStopped(run)) return null;
  if (run.status === "cancelled") return `cancelled${run.failedStage ? ` during "${run.failedStage}"` : ""}`;
  const { failedKind, failedOutcome, longestGpuWait } = run.facts;
  const cause =
    run.status === "failed" && failedKind === "task" && failedOutcome ? OUTCOME_CAUSE[failedOutcome] : undefined;
  if (cause) return `stage "${run.failedStage}" ${cause}`;
  if (longestGpuWait && longestGpuWait.ms > gpuWaitLimitMs)
    return `stage "${longestGpuWait.stage}" waited ${formatMs(longestGpuWait.ms)} for a GPU`;
  return null;
}

/** A local run stopped by its own user (Ctrl-C): their choice, not something a scheduler would fix. */
const userStopped = (run: RunHead) => run.executor === "local" && run.status === "cancelled";

const NOT_OK: ReadonlySet<RunHead["status"]> = new Set(["failed", "interrupted", "cancelled"]);

/**
 * Ids of runs that were manual recovery: a resume, or a rerun of the same pipeline and plan right
 * after a run of it that did not succeed. `runs` may be in any order.
 *
 * @example
 * ```ts
 * const recovered = manualRecoveries(allRuns); // Set { "r2", "r5" }
 * ```
 */
export function manualRecoveries(runs: readonly RunHead[]): Set<string> {
  const out = new Set<string>();
  const last = new Map<string, RunHead>();
  const oldestFirst = [...runs].sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : 1));
  for (const run of oldestFirst) {
    if (run.dryRun) continue;
    const key = `${run.pipelineId}\u0000${run.planHash}`;
    const previous = last.get(key);
    // Continuing after one's own Ctrl-C is not a recovery from anything.
    const afterOwnStop = previous !== undefined && userStopped(previous);
    if (
      !afterOwnStop &&
      (run.trigger === "resume" || (run.trigger === "manual" && previous && NOT_OK.has(previous.status)))
    )
      out.add(run.id);
    last.set(key, run);
  }
  return out;
}
