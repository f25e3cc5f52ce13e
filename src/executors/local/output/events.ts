/**
 * What a run tells the person watching it. Events are announced only after the manifest write
 * that records them; `at` is when the change happened.
 */
import type { AttemptOutcome, GateResult, Manifest, StageStatus } from "../../../records/manifest.js";
import type { LeaseHolder } from "../gpu/gpu-leases.js";
import { formatMs } from "../../../records/time.js";
import { plural } from "../../../common/plural.js";

export type RunEvent =
  | {
      type: "run-start";
      at: number;
      runId: string;
      runDir: string;
      pipelineId: string;
      stages: number;
      resumeOf: string | null;
      notSelected: number;
    }
  | { type: "note"; at: number; text: string }
  /** Why a stage runs rather than being skipped (shown with --verbose). */
  | { type: "why"; at: number; stage: string; text: string }
  | { type: "gpu-wait"; at: number; stage: string; holders: readonly LeaseHolder[] }
  | { type: "attempt-start"; at: number; stage: string; attempt: number; max: number; gpus: readonly number[] }
  | {
      type: "attempt-end";
      at: number;
      stage: string;
      attempt: number;
      max: number;
      outcome: AttemptOutcome;
      exitCode: number | null;
      signal: string | null;
      durationMs: number;
      retryInMs: number | null;
      reason: string | null;
    }
  | { type: "stage-end"; at: number; stage: string; status: StageStatus; reason: string | null }
  | { type: "gate"; at: number; stage: string; result: GateResult }
  /** A line of a stage's output, or (`progress`) a `\r` update that the next one replaces. */
  | { type: "output"; at: number; stage: string; line: string; progress?: boolean }
  | { type: "run-end"; at: number; manifest: Manifest; runDir: string };

/**
 * A duration for people, the one format every command uses (`formatMs` of the run records):
 * "0.4s", "2.0s", "12s", "3m05s", "2h04m".
 *
 * @example
 * ```ts
 * shortDuration(185_000); // "3m05s"
 * ```
 */
export function shortDuration(ms: number): string {
  return formatMs(ms);
}

/**
 * Who holds the GPUs a stage waits for, in one phrase.
 *
 * @example
 * ```ts
 * describeHolders([holder]); // "GPU 0 held by run 2025...-ab12cd, stage train, pid 4242 on box"
 * ```
 */
export function describeHolders(holders: readonly LeaseHolder[]): string {
  return holders
    .map(
      (h) =>
        `GPU ${h.gpu} held by run ${h.runId}, stage ${h.stage}, pid ${h.childPid ?? h.pid}${h.host ? ` on ${h.host}` : ""}`,
    )
    .join("; ");
}

/**
 * How an attempt ended, in a few words.
 *
 * @example
 * ```ts
 * describeEnd({ ...event, outcome: "failed", exitCode: 1 }); // "failed (exit 1)"
 * ```
 */
export function describeEnd(e: Extract<RunEvent, { type: "attempt-end" }>): string {
  switch (e.outcome) {
    case "success":
      return `succeeded in ${shortDuration(e.durationMs)}`;
    case "timeout":
      return `timed out after ${shortDuration(e.durationMs)}`;
    case "cancelled":
      return "cancelled";
    case "missing-output":
      return `exited 0 but ${e.reason ?? "an output is missing"}`;
    default:
      if (e.exitCode !== null) return `failed (exit ${e.exitCode})`;
      if (e.signal !== null) return `failed (killed by ${e.signal})`;
      return `failed (${e.reason ?? "could not start"})`;
  }
}

/**
 * The one-line text of an event (the same on a terminal and in a log), or null for none.
 *
 * @example
 * ```ts
 * eventText({ type: "note", at: Date.now(), text: "hello" }); // "hello"
 * ```
 */
export function eventText(e: RunEvent): string | null {
  switch (e.type) {
    case "run-start": {
      const how = e.resumeOf ? `resuming run ${e.resumeOf} as run ${e.runId}` : `run ${e.runId}`;
      const partial = e.notSelected > 0 ? `; ${e.notSelected} not selected` : "";
      return `${how}: pipeline ${e.pipelineId}, ${plural(e.stages, "stage")}${partial}; records in ${e.runDir}`;
    }
    case "note":
      return e.text;
    case "why":
      return `${e.stage} runs: ${e.text}`;
    case "gpu-wait":
      return `${e.stage} waiting for a GPU: ${describeHolders(e.holders)}`;
    case "attempt-start":
      return `${e.stage} attempt ${e.attempt}/${e.max} started${e.gpus.length ? ` on GPU ${e.gpus.join(",")}` : ""}`;
    case "attempt-end": {
      const base = `${e.stage} attempt ${e.attempt}/${e.max} ${describeEnd(e)}`;
      return e.retryInMs === null ? base : `${base}, retry in ${shortDuration(e.retryInMs)}`;
    }
    case "stage-end":
      return e.status === "success"
        ? null
        : `${e.stage} ${e.status.replaceAll("_", " ")}${e.reason ? `: ${e.reason}` : ""}`;
    case "gate":
      // A blocking FAIL ends the stage "failed" with this same text: one line says it.
      if (e.result.verdict === "FAIL" && e.result.severity === "block") return null;
      return `${e.stage} ${e.result.verdict}${e.result.verdict === "FAIL" ? ` (${e.result.severity})` : ""}: ${e.result.reason}`;
    case "output":
      return `[${e.stage}] ${e.line}`;
    case "run-end":
      return null;
  }
}
