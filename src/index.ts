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
  AirflowOptions as PipelineAirflowOptions,
  DateText,
  Duration,
  GateOptions,
  Pipeline,
  PipelineBuilder,
  PipelineMeta,
  PipelineOptions,
  RetryOptions,
  StageDefaults,
  StageOptions,
  StageRef,
} from "./dsl/pipeline.js";
export { param } from "./dsl/params.js";
export type { ParamDecl, ParamDecls, ParamKind, ParamOptions, ParamRef, ParamRefs } from "./dsl/params.js";
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

// The Plan: what `plan()` returns and every executor reads; its JSON Schema is `updraft/plan.schema.json`.
export { plan, planFromJson } from "./planner/plan.js";
export type { PlanResult } from "./planner/plan.js";
export type { Problem, ProblemCode } from "./planner/problems.js";
export { PlanSchema, PLAN_VERSION } from "./plan/schema.js";
export type {
  AirflowSettings,
  Arg,
  Command,
  Gate,
  OptionalArg,
  Param,
  ParamPart,
  ParamType,
  PipelineInfo,
  Plan,
  PlanInput,
  Retry,
  Rule,
  Source,
  Stage,
  Template,
} from "./plan/schema.js";
export type { ParamValue } from "./planner/template.js";

export { runCli } from "./cli/run-cli.js";

// Running, showing, reading records and exporting live behind subpaths, so that a pipeline file loads
// only the builder: `updraft/local` (runPlan, resolveParams, the dry-run text, Mermaid and DOT),
// `updraft/history` (run records and their schemas), `updraft/gates`, `updraft/airflow`, `updraft/slurm`.
