/**
 * The move-to-Airflow rule computed from run history: each signal with its value, threshold and
 * status, then a verdict with reasons. Pure: runs, plans and the clock come in as data.
 */
import type { Plan } from "../../plan/schema.js";
import type { Thresholds } from "./advise-config.js";
import { incidentCause, manualRecoveries } from "./incidents.js";
import type { RunHead } from "../run-view.js";
import { WEEK_MS } from "../time.js";
import { shellWord } from "../../common/shell.js";
import { plural } from "../../common/plural.js";

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
  /** Whether the history is old and large enough for a verdict to move (thresholds minHistoryWeeks, minRuns). */
  enoughHistory: boolean;
  /** Age of the oldest run read, in days. */
  historyDays: number;
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

/**
 * The key of a run's plan in `AdviseInput.plans`.
 *
 * @example
 * ```ts
 * plans.get(planKey(run))?.pipeline.schedule;
 * ```
 */
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
    hints.set(run.pipelineId, {
      pipelineId: run.pipelineId,
      file,
      command: `updraft export airflow ${file ? shellWord(file) : `<pipeline file of ${run.pipelineId}>`} --out dags/`,
    });
  }
  return [...hints.values()].sort((a, b) => a.pipelineId.localeCompare(b.pipelineId));
}

function scheduled(inWindow: readonly RunHead[], plans: AdviseInput["plans"]): string[] {
  const ids = new Set<string>();
  for (const run of inWindow) {
    if (plans.get(planKey(run))?.pipeline.schedule || run.trigger === "schedule" || run.trigger === "backfill")
      ids.add(run.pipelineId);
  }
  return [...ids].sort();
}

/** What the rule is computed from, measured over the window. */
interface Measures {
  inWindow: RunHead[];
  weeks: number;
  ageMs: number;
  production: number;
  users: string[];
  manual: number;
  incidents: Incident[];
  schedules: string[];
}

function measure(input: AdviseInput): Measures {
  const { now, thresholds: t } = input;
  const inWindow = input.runs.filter((r) => !r.dryRun && r.startMs >= now - input.windowMs);
  const oldest = input.runs.reduce((min, r) => Math.min(min, r.startMs), now);
  // A history younger than the window is rated over its own age, in whole weeks (at least one).
  const weeks = Math.max(1, Math.min(input.windowMs / WEEK_MS, Math.ceil((now - oldest) / WEEK_MS)));
  const recovered = manualRecoveries(input.runs);
  const incidents = inWindow.flatMap((r) => {
    const cause = incidentCause(r, t.gpuWaitMinutes * 60_000);
    return cause ? [{ runId: r.id, pipelineId: r.pipelineId, start: r.start, cause }] : [];
  });
  return {
    inWindow,
    weeks,
    ageMs: now - oldest,
    incidents,
    production: inWindow.filter((r) => !r.partial).length,
    users: [...new Set(inWindow.map((r) => r.user))].sort(),
    manual: inWindow.filter((r) => recovered.has(r.id)).length,
    schedules: scheduled(inWindow, input.plans),
  };
}

const pct = (n: number) => `${Math.round(n * 100)}%`;
const list = (names: string[]) => (names.length ? ` (${names.join(", ")})` : "");

function signals(m: Measures, t: Thresholds): Signal[] {
  const wk = plural(round(m.weeks), "week");
  const perWeek = (n: number) => round(n / m.weeks);
  const runs = m.inWindow.length;
  const judged = runs >= t.manualRecoveryMinRuns;
  const share = judged ? m.manual / runs : 0;
  return [
    signal({
      key: "runs-per-week",
      label: "production-like runs a week",
      value: perWeek(m.production),
      shown: `${perWeek(m.production)} (${m.production} in ${wk})`,
      op: ">",
      threshold: t.runsPerWeek,
      shownThreshold: String(t.runsPerWeek),
      reason: `${plural(perWeek(m.production), "production-like run")} a week (${m.production} in ${wk}); move at more than ${t.runsPerWeek}`,
    }),
    signal({
      key: "engineers",
      label: "engineers starting runs",
      value: m.users.length,
      shown: `${m.users.length}${list(m.users)}`,
      op: ">",
      threshold: t.engineers,
      shownThreshold: String(t.engineers),
      reason: `${plural(m.users.length, "engineer")} started runs${list(m.users)}; move at more than ${t.engineers}`,
    }),
    signal({
      key: "manual-recovery",
      label: "manual resumes and reruns",
      value: round(share * 100) / 100,
      shown: judged ? `${pct(share)} (${m.manual} of ${runs})` : `${m.manual} of ${runs} (too few runs to judge)`,
      op: ">",
      threshold: t.manualRecoveryShare,
      shownThreshold: pct(t.manualRecoveryShare),
      reason: `${pct(share)} of runs (${m.manual} of ${runs}) were manual resumes or reruns after a failure; move at more than ${pct(t.manualRecoveryShare)}`,
    }),
    signal({
      key: "incidents-per-week",
      label: "orchestration incidents a week",
      value: perWeek(m.incidents.length),
      shown: `${perWeek(m.incidents.length)} (${m.incidents.length} in ${wk})`,
      op: ">=",
      threshold: t.incidentsPerWeek,
      shownThreshold: String(t.incidentsPerWeek),
      reason: `${plural(perWeek(m.incidents.length), "orchestration incident")} a week (timeouts, runners gone, missing outputs, GPU waits; ${m.incidents.length} in ${wk}); move at ${t.incidentsPerWeek} or more`,
    }),
    signal({
      key: "schedules",
      label: "pipelines needing a schedule",
      value: m.schedules.length,
      shown: `${m.schedules.length}${list(m.schedules)}`,
      op: ">=",
      threshold: t.scheduledPipelines,
      shownThreshold: String(t.scheduledPipelines),
      reason: `${plural(m.schedules.length, "pipeline")} ${m.schedules.length === 1 ? "declares" : "declare"} a schedule${list(m.schedules)}; move at ${t.scheduledPipelines} or more: a scheduler with backfill is Airflow's job`,
    }),
  ];
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
  const t = input.thresholds;
  const m = measure(input);
  const all = signals(m, t);
  const runs = m.inWindow.length;
  const enoughHistory = m.ageMs >= t.minHistoryWeeks * WEEK_MS && runs >= t.minRuns;
  const breached = enoughHistory ? all.filter((s) => s.breached) : [];
  const historyDays = round(m.ageMs / 86_400_000);
  const tooLittle = `too little history for a verdict: ${plural(runs, "run")} over ${plural(historyDays, "day")}; advise needs at least ${plural(t.minHistoryWeeks, "week")} and ${plural(t.minRuns, "run")}`;
  return {
    verdict: breached.length > 0 ? "move to Airflow" : "stay lite",
    enoughHistory,
    historyDays,
    windowMs: input.windowMs,
    weeks: round(m.weeks),
    runs,
    signals: all,
    reasons:
      breached.length > 0
        ? breached.map((s) => s.reason)
        : [runs === 0 ? "no runs in the window" : enoughHistory ? "every signal is within its threshold" : tooLittle],
    incidents: m.incidents,
    exports: breached.length > 0 ? exportHints(m.inWindow, input.plans) : [],
  };
}
