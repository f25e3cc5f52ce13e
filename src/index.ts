/**
 * updraft: typed ML pipelines that start lite on one machine and lift into Apache Airflow unchanged.
 *
 * @example
 * ```ts
 * import { pipeline, param, sh, t, runCli } from "updraft";
 * ```
 */
export { pipeline, isPipeline } from "./dsl/pipeline.js";
export type { Duration, GateOptions, NamedParamDecl, Pipeline, PipelineBuilder, PipelineMeta, PipelineOptions, RetryOptions, StageDecl, StageDefaults, StageOptions, StageRef } from "./dsl/pipeline.js";
export { param, isParamRef } from "./dsl/params.js";
export type { ParamDecl, ParamDecls, ParamKind, ParamRef, ParamRefs } from "./dsl/params.js";
export { t, sh } from "./dsl/template.js";
export type { Interpolation, ShellCommand, TemplateValue, TextInput } from "./dsl/template.js";
export { ruleBuilder } from "./dsl/rules.js";
export type { FileRules, MetricPath, MetricRules, MetricValue, RuleBuilder } from "./dsl/rules.js";

export { plan, planFromJson, planHash } from "./planner/plan.js";
export type { PlanResult } from "./planner/plan.js";
export type { Problem } from "./planner/problems.js";
export * from "./planner/schema.js";
export { resolveParams } from "./planner/params.js";
export type { ParamResult, ParamSources } from "./planner/params.js";
export { paramEnvName, renderShell, resolveTemplate, showTemplate } from "./planner/template.js";
export type { ParamValue } from "./planner/template.js";
export { retryDelay, retryDelays } from "./planner/retry.js";
export { parseDuration, formatDuration } from "./planner/duration.js";
export { describeRetry, describeRule } from "./planner/describe.js";

export * from "./executors/manifest.js";
export { formatDryRun } from "./executors/dry-run/format.js";
export { toDot, toMermaid } from "./executors/graph/render.js";

export { runCli } from "./cli/run-cli.js";
export { main } from "./cli/main.js";
export { CliError, EXIT } from "./cli/errors.js";

export { runGate } from "./executors/gates/run-gate.js";
export { evaluateGate, tryResolve } from "./executors/gates/evaluate.js";
export type { FileFacts, GateFacts, MetricsInput } from "./executors/gates/evaluate.js";
export { parseMetricsBytes, parsePythonJson } from "./executors/gates/metrics-json.js";
export { parseSums } from "./executors/gates/sums.js";
export type { SumsEntry } from "./executors/gates/sums.js";
export { GATE_EVALUATOR_PY } from "./executors/gates/python.js";

export { runPlan } from "./executors/local/run-plan.js";
export type { RunOptions } from "./executors/local/options.js";
export type { OutputMode } from "./executors/local/reporter.js";
export type { RunEvent } from "./executors/local/events.js";
export { RunSetupError, MissingOutput, MissingCwd } from "./executors/local/errors.js";
export { findResumeTarget, effectiveStatus } from "./executors/local/previous-runs.js";
export { defaultRunsDir, newRunId, readManifest, runPaths } from "./executors/local/run-dir.js";

export { readRuns, readRun, findRun, runsRoot, DEFAULT_RUNS_DIR } from "./executors/history/read-runs.js";
export type { RunsRead, FindResult } from "./executors/history/read-runs.js";
export type { RunHead, RunView, RunFacts, RunState, RunTrigger } from "./executors/history/run-view.js";
export { AirflowRunSchema, AirflowAttemptSchema } from "./executors/history/read-airflow.js";
export { readPlanFile, plansOf } from "./executors/history/plan-file.js";
export { advise, planKey } from "./executors/history/advise.js";
export type { Advice, AdviseInput, Signal, Incident, ExportHint } from "./executors/history/advise.js";
export { AdviseConfigSchema, ThresholdsSchema, loadAdviseConfig, CONFIG_FILE } from "./executors/history/advise-config.js";
export type { AdviseConfig, Thresholds } from "./executors/history/advise-config.js";
export { incidentCause, manualRecoveries } from "./executors/history/incidents.js";
export { lineage } from "./executors/history/lineage.js";
export type { LineageStep, LineageInput } from "./executors/history/lineage.js";
export { summarize, formatHistory } from "./executors/history/format-history.js";
export type { RunSummary } from "./executors/history/format-history.js";
export { formatShow } from "./executors/history/format-show.js";
export { formatAdvice } from "./executors/history/format-advice.js";
export { planGc, removeRuns } from "./executors/history/gc.js";
export type { GcPlan } from "./executors/history/gc.js";
export { renderReport } from "./executors/history/report/page.js";
export type { ReportInput } from "./executors/history/report/page.js";

export { toAirflow, poolsJson, AirflowExportError } from "./executors/airflow/export.js";
export type { AirflowExport, AirflowOptions, ExportFile } from "./executors/airflow/export.js";
export { exportReport, formatIssue } from "./executors/airflow/report.js";
export type { ExportIssue } from "./executors/airflow/report.js";
