/**
 * The move-to-Airflow rule computed from run history: each signal with its value, threshold and
 * status, then a verdict with reasons. Pure: runs, plans and the clock come in as data.
 */
import type { Plan } from "../../planner/schema.js";
import type { Thresholds } from "./advise-config.js";
import { incidentCause, manualRecoveries } from "./incidents.js";
import type { RunHead } from "./run-view.js";
import { WEEK_MS } from "./time.js";

/** One measured signal of the rule. */
export interface Signal {
  key: "runs-per-week" | "engineers" | "manual-recovery" | "incidents-per-week" | "schedules";
  label: string;
  value: number;
  /** The value as people read it, with its evidence. */
  shown: string;
  op: ">" | ">=";
  threshold: number;
  shownThreshold: string;
  breached: boolean;
  /** Why it is breached, in one sentence. */
  reason: string;
}

export interface Incident {
  runId: string;
  pipelineId: string;
  start: string;
  cause: string;
}

export interface ExportHint {
  pipelineId: string;
  file: string | null;
  command: string;
}

export interface Advice {
  verdict: "stay lite" | "move to Airflow";
  windowMs: number;
  /** Weeks the rates are computed over: the window, or the history's age in whole weeks when younger. */
  weeks: number;
  runs: number;
  signals: Signal[];
  reasons: string[];
  incidents: Incident[];
  exports: ExportHint[];
}

export interface AdviseInput {
  /** All runs read (the window is applied here). */
  runs: readonly RunHead[];
  /** Plans by `pipelineId + "\0" + planHash`; null when a run kept none. */
  plans: ReadonlyMap<string, Plan | null>;
  thresholds: Thresholds;
  windowMs: number;
  now: number;
}

const round = (n: number) => Math.round(n * 10) / 10;
const quote = (file: string) => (/^[\w./@+-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`);

/** The key of a run's plan in `AdviseInput.plans`. */
export const planKey = (run: Pick<RunHead, "pipelineId" | "planHash">) => `${run.pipelineId}\u0000${run.planHash}`;

function signal(s: Omit<Signal, "breached">): Signal {
  return { ...s, breached: s.op === ">" ? s.value > s.threshold : s.value >= s.threshold };
}

function exportHints(inWindow: readonly RunHead[], plans: AdviseInput["plans"]): ExportHint[] {
  const hints = new Map<string, ExportHint>();
  for (const run of inWindow) {
    const known = hints.get(run.pipelineId);
    if (known?.file) continue;
    const file = plans.get(planKey(run))?.pipeline.source?.file ?? null;
    hints.set(run.pipelineId, { pipelineId: run.pipelineId, file, command: `updraft export airflow ${file ? quote(file) : `<pipeline file of ${run.pipelineId}>`} --out dags/` });
  }
  return [...hints.values()].sort((a, b) => a.pipelineId.localeCompare(b.pipelineId));
}

function scheduled(inWindow: readonly RunHead[], plans: AdviseInput["plans"]): string[] {
  const ids = new Set<string>();
  for (const run of inWindow) {
    if (plans.get(planKey(run))?.pipeline.schedule || run.trigger === "schedule" || run.trigger === "backfill") ids.add(run.pipelineId);
  }
  return [...ids].sort();
}

/**
 * Apply the rule to a history.
 *
 * @example
 * ```ts
 * const advice = advise({ runs, plans, thresholds: AdviseConfigSchema.parse({}).thresholds, windowMs: 4 * WEEK_MS, now: Date.now() });
 * advice.verdict; // "stay lite"
 * ```
 */
export function advise(input: AdviseInput): Advice {
  const { thresholds: t, now } = input;
  const from = now - input.windowMs;
  const inWindow = input.runs.filter((r) => !r.dryRun && Date.parse(r.start) >= from);
  const oldest = input.runs.reduce((min, r) => Math.min(min, Date.parse(r.start)), now);
  // A history younger than the window is rated over its own age, in whole weeks (at least one).
  const weeks = Math.max(1, Math.min(input.windowMs / WEEK_MS, Math.ceil((now - oldest) / WEEK_MS)));
  const perWeek = (n: number) => round(n / weeks);
  const wk = `${round(weeks)} week${round(weeks) === 1 ? "" : "s"}`;

  const prod = inWindow.filter((r) => !r.partial).length;
  const users = [...new Set(inWindow.map((r) => r.user))].sort();
  const recovered = manualRecoveries(input.runs);
  const manual = inWindow.filter((r) => recovered.has(r.id)).length;
  const share = inWindow.length >= t.manualRecoveryMinRuns ? manual / inWindow.length : 0;
  const incidents = inWindow.flatMap((r) => {
    const cause = incidentCause(r, t.gpuWaitMinutes * 60_000);
    return cause ? [{ runId: r.id, pipelineId: r.pipelineId, start: r.start, cause }] : [];
  });
  const schedules = scheduled(inWindow, input.plans);
  const pct = (n: number) => `${Math.round(n * 100)}%`;

  const signals = [
    signal({ key: "runs-per-week", label: "production-like runs a week", value: perWeek(prod), shown: `${perWeek(prod)} (${prod} in ${wk})`, op: ">", threshold: t.runsPerWeek, shownThreshold: String(t.runsPerWeek), reason: `${perWeek(prod)} production-like runs a week, more than ${t.runsPerWeek}` }),
    signal({ key: "engineers", label: "engineers starting runs", value: users.length, shown: `${users.length}${users.length ? ` (${users.join(", ")})` : ""}`, op: ">", threshold: t.engineers, shownThreshold: String(t.engineers), reason: `${users.length} engineers started runs (${users.join(", ")}), more than ${t.engineers}` }),
    signal({ key: "manual-recovery", label: "manual resumes and reruns", value: round(share * 100) / 100, shown: inWindow.length >= t.manualRecoveryMinRuns ? `${pct(share)} (${manual} of ${inWindow.length})` : `${manual} of ${inWindow.length} (too few runs to judge)`, op: ">", threshold: t.manualRecoveryShare, shownThreshold: pct(t.manualRecoveryShare), reason: `${pct(share)} of runs were manual resumes or reruns after a failure, more than ${pct(t.manualRecoveryShare)}` }),
    signal({ key: "incidents-per-week", label: "orchestration incidents a week", value: perWeek(incidents.length), shown: `${perWeek(incidents.length)} (${incidents.length} in ${wk})`, op: ">=", threshold: t.incidentsPerWeek, shownThreshold: String(t.incidentsPerWeek), reason: `${perWeek(incidents.length)} orchestration incidents a week (timeouts, interruptions, cancellations, missing outputs, GPU waits), at least ${t.incidentsPerWeek}` }),
    signal({ key: "schedules", label: "pipelines needing a schedule", value: schedules.length, shown: `${schedules.length}${schedules.length ? ` (${schedules.join(", ")})` : ""}`, op: ">=", threshold: t.scheduledPipelines, shownThreshold: String(t.scheduledPipelines), reason: `${schedules.join(", ")} ${schedules.length === 1 ? "declares" : "declare"} a schedule: a scheduler with backfill is Airflow's job` }),
  ];
  const breached = signals.filter((s) => s.breached);
  return {
    verdict: breached.length > 0 ? "move to Airflow" : "stay lite",
    windowMs: input.windowMs, weeks: round(weeks), runs: inWindow.length, signals,
    reasons: breached.length > 0 ? breached.map((s) => s.reason) : [inWindow.length === 0 ? "no runs in the window" : "every signal is within its threshold"],
    incidents,
    exports: breached.length > 0 ? exportHints(inWindow, input.plans) : [],
  };
}
