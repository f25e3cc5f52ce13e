/**
 * `updraft history`: runs as a table or as JSON summaries.
 */
import pc from "picocolors";
import type { RunHead, RunState } from "./run-view.js";
import { table, type Cell } from "./table.js";
import { formatMs, formatTime } from "./time.js";

/** One line of history, as `history --json` prints it. */
export interface RunSummary {
  id: string;
  runId: string;
  pipeline: string;
  executor: RunHead["executor"];
  status: RunState;
  trigger: RunHead["trigger"];
  partial: boolean;
  dryRun: boolean;
  user: string;
  host: string;
  start: string;
  end: string | null;
  durationMs: number | null;
  failedStage: string | null;
}

/**
 * The summary of a run: everything the history table shows, without stages.
 *
 * @example
 * ```ts
 * JSON.stringify(runs.map(summarize));
 * ```
 */
export function summarize(run: RunHead): RunSummary {
  return {
    id: run.id,
    runId: run.runId,
    pipeline: run.pipelineId,
    executor: run.executor,
    status: run.status,
    trigger: run.trigger,
    partial: run.partial,
    dryRun: run.dryRun,
    user: run.user,
    host: run.host,
    start: run.start,
    end: run.end,
    durationMs: run.durationMs,
    failedStage: run.failedStage,
  };
}

const PAINT: Record<RunState, (s: string) => string> = {
  success: pc.green,
  failed: pc.red,
  interrupted: pc.yellow,
  cancelled: pc.yellow,
  running: pc.cyan,
};

/**
 * A status cell, coloured by status.
 *
 * @example
 * ```ts
 * table([["STATUS"], [statusCell("failed")]]);
 * ```
 */
export function statusCell(status: RunState): Cell {
  return { text: status, paint: PAINT[status] };
}

/**
 * The history table, newest first as given.
 *
 * @example
 * ```text
 * ID         PIPELINE  STATUS   TRIGGER  USER  START                DURATION  FAILED STAGE
 * 20250303a  rwkv      failed   manual   ada   2025-03-03 09:00:00  2m05s     train
 * ```
 */
export function formatHistory(runs: readonly RunHead[]): string {
  if (runs.length === 0) return "no runs found";
  const header: Cell[] = ["ID", "PIPELINE", "STATUS", "TRIGGER", "USER", "START (UTC)", "DURATION", "FAILED STAGE"];
  const rows = runs.map((r): Cell[] => [
    r.id,
    r.pipelineId,
    statusCell(r.status),
    `${r.trigger}${r.dryRun ? " (dry run)" : r.partial ? (r.selection.ignoreGates ? " (partial, gates ignored)" : " (partial)") : ""}`,
    r.user,
    formatTime(r.start),
    r.status === "running" ? "running" : formatMs(r.durationMs),
    r.failedStage ?? "",
  ]);
  return table([header.map((h) => ({ text: typeof h === "string" ? h : h.text, paint: pc.bold })), ...rows]);
}
