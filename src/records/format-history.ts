/**
 * `updraft history`: runs as a table or as JSON summaries.
 */
import pc from "picocolors";
import { blameText, type RunHead, type RunState } from "./run-view.js";
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
  /** The stage that failed; null for a run that did not fail (a cancelled run's stage was stopped, not failed). */
  failedStage: string | null;
  params: RunHead["params"];
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
    failedStage: failedStage(run),
    params: run.params,
  };
}

/** The blamed stage of a run that failed; a cancelled or interrupted run's was stopped, not failed. */
function failedStage(run: RunHead): string | null {
  return blameText(run).startsWith("stage ") ? run.failedStage : null;
}

const PARAMS_WIDTH = 40;

/**
 * A run's parameters as `name=value` pairs, cut to fit a table column.
 *
 * @example
 * ```ts
 * paramsText({ ctx_len: 512, lr: 0.0006 }); // "ctx_len=512 lr=0.0006"
 * ```
 */
export function paramsText(params: RunHead["params"], width = PARAMS_WIDTH): string {
  const text = Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
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
 * ID         PIPELINE  STATUS   TRIGGER  USER  START                DURATION  FAILED STAGE  PARAMS
 * 20250303a  rwkv      failed   manual   ada   2025-03-03 09:00:00  2m05s     train         ctx_len=512
 * ```
 */
export function formatHistory(runs: readonly RunHead[]): string {
  if (runs.length === 0) return "no runs found";
  const header: Cell[] = [
    "ID",
    "PIPELINE",
    "STATUS",
    "TRIGGER",
    "USER",
    "START (UTC)",
    "DURATION",
    "FAILED STAGE",
    "PARAMS",
  ];
  const rows = runs.map((r): Cell[] => [
    r.id,
    r.pipelineId,
    statusCell(r.status),
    `${r.trigger}${r.dryRun ? " (dry run)" : r.partial ? (r.selection.ignoreGates ? " (partial, gates ignored)" : " (partial)") : ""}`,
    r.user,
    formatTime(r.start),
    r.status === "running" ? "running" : formatMs(r.durationMs),
    failedStage(r) ?? "",
    paramsText(r.params),
  ]);
  return table([header.map((h) => ({ text: typeof h === "string" ? h : h.text, paint: pc.bold })), ...rows]);
}
