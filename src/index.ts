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
export { t, sh, optional } from "./dsl/template.js";
export type { Interpolation, OptionalArgument, ShellCommand, TemplateValue, TextInput } from "./dsl/template.js";
export { ruleBuilder } from "./dsl/rules.js";
export type {
  FileRules,
  MetricPath,
  MetricRules,
  MetricValue,
  NumericRules,
  RuleBuilder,
  StringRules,
  ValueRules,
} from "./dsl/rules.js";

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

// Running, reading records and exporting live behind subpaths, so that a pipeline file loads only the
// builder: `updraft/local`, `updraft/history`, `updraft/gates`, `updraft/airflow`.
