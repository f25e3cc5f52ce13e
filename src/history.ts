/**
 * `updraft/history`: read run records (local and Airflow), as `history`, `show`, `advise`, `report`
 * and `gc` do.
 *
 * @example
 * ```ts
 * import { readRuns, formatHistory } from "updraft/history";
 * ```
 */
export { readRuns, readRun, findRun, runsRoot, DEFAULT_RUNS_DIR } from "./records/read-runs.js";
export type { RunsRead, FindResult } from "./records/read-runs.js";
export type { RunHead, RunView, RunFacts, RunState, RunTrigger } from "./records/run-view.js";
export { AirflowRunSchema, AirflowAttemptSchema } from "./records/read-airflow.js";
export { readPlanFile, plansOf } from "./records/plan-file.js";
export { advise, planKey } from "./records/advise/advise.js";
export type { Advice, AdviseInput, Signal, Incident, ExportHint } from "./records/advise/advise.js";
export { AdviseConfigSchema, ThresholdsSchema, loadAdviseConfig, CONFIG_FILE } from "./records/advise/advise-config.js";
export type { AdviseConfig, Thresholds } from "./records/advise/advise-config.js";
export { incidentCause, manualRecoveries } from "./records/advise/incidents.js";
export { lineage } from "./records/lineage.js";
export type { LineageStep, LineageInput } from "./records/lineage.js";
export { summarize, formatHistory } from "./records/format-history.js";
export type { RunSummary } from "./records/format-history.js";
export { formatShow } from "./records/format-show.js";
export { formatAdvice } from "./records/advise/format-advice.js";
export { planGc, removeRuns } from "./records/gc.js";
export type { GcPlan } from "./records/gc.js";
export { renderReport } from "./records/report/page.js";
export type { ReportInput } from "./records/report/page.js";
// The run record (manifest.json) of a local run: its schema and types.
export * from "./records/manifest.js";
