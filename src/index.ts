/**
 * updraft: typed ML pipelines that start lite on one machine and lift into Apache Airflow unchanged.
 *
 * @example
 * ```ts
 * import { pipeline, param, sh, t, runCli } from "updraft";
 * ```
 */
export { pipeline, isPipeline } from "./dsl/pipeline.js";
export type {
  Duration,
  GateOptions,
  NamedParamDecl,
  Pipeline,
  PipelineBuilder,
  PipelineMeta,
  PipelineOptions,
  RetryOptions,
  StageDecl,
  StageDefaults,
  StageOptions,
  StageRef,
} from "./dsl/pipeline.js";
export { param, isParamRef } from "./dsl/params.js";
export type { ParamDecl, ParamDecls, ParamKind, ParamRef, ParamRefs } from "./dsl/params.js";
export { t, sh } from "./dsl/template.js";
export type { Interpolation, ShellCommand, TemplateValue, TextInput } from "./dsl/template.js";
export { ruleBuilder } from "./dsl/rules.js";
export type { FileRules, MetricPath, MetricRules, MetricValue, RuleBuilder } from "./dsl/rules.js";

export { plan, planFromJson, planHash } from "./planner/plan.js";
export type { PlanResult } from "./planner/plan.js";
export type { Problem } from "./planner/problems.js";
export * from "./plan/schema.js";
export { resolveParams } from "./planner/params.js";
export type { ParamResult, ParamSources } from "./planner/params.js";
export { paramEnvName, renderShell, resolveTemplate, showTemplate } from "./planner/template.js";
export type { ParamValue } from "./planner/template.js";
export { retryDelay, retryDelays } from "./planner/retry.js";
export { parseDuration, formatDuration } from "./planner/duration.js";
export { describeRetry, describeRule } from "./planner/describe.js";

export * from "./records/manifest.js";
export { formatDryRun } from "./executors/dry-run/format.js";
export { toDot, toMermaid } from "./executors/graph/render.js";

export { runCli } from "./cli/run-cli.js";
export { main } from "./cli/main.js";
export { CliError, EXIT } from "./cli/errors.js";

export { runGate } from "./gates/run-gate.js";
export { evaluateGate, tryResolve } from "./gates/evaluate.js";
export type { FileFacts, GateFacts, MetricsInput } from "./gates/evaluate.js";
export { parseMetricsBytes, parsePythonJson } from "./gates/metrics-json.js";
export { parseSums } from "./gates/sums.js";
export type { SumsEntry } from "./gates/sums.js";
export { GATE_SOURCES } from "./gates/python-sources.generated.js";

export { runPlan } from "./executors/local/run-plan.js";
export type { RunOptions } from "./executors/local/options.js";
export type { OutputMode } from "./executors/local/output/reporter.js";
export type { RunEvent } from "./executors/local/output/events.js";
export { RunSetupError, MissingOutput, MissingCwd } from "./executors/local/errors.js";
export { findResumeTarget, effectiveStatus } from "./executors/local/run-dir/previous-runs.js";
export { defaultRunsDir, newRunId, readManifest, runPaths } from "./executors/local/run-dir/run-dir.js";

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

export { toAirflow, poolsJson, AirflowExportError } from "./executors/airflow/export.js";
export type { AirflowExport, AirflowOptions, ExportFile } from "./executors/airflow/export.js";
export { exportReport, formatIssue } from "./executors/airflow/report.js";
export type { ExportIssue } from "./executors/airflow/report.js";
