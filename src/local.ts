/**
 * `updraft/local`: run a Plan on this machine from your own code, as `updraft run` does: resolve its
 * run parameters, show it as `updraft plan` does (the dry-run text) or as a graph (Mermaid, DOT), run it.
 *
 * @example
 * ```ts
 * import { plan } from "updraft";
 * import { runPlan } from "updraft/local";
 * ```
 */
export { runPlan } from "./executors/local/run-plan.js";
export type { RunOptions } from "./executors/local/options.js";
export type { OutputMode } from "./executors/local/output/reporter.js";
export type { RunEvent } from "./executors/local/output/events.js";
export { RunSetupError, StorageError, MissingCwd } from "./executors/local/errors.js";
export { findResumeTarget, effectiveStatus } from "./executors/local/run-dir/previous-runs.js";
export { defaultRunsDir, newRunId, readManifest, runPaths } from "./executors/local/run-dir/run-dir.js";
export { resolveParams } from "./planner/params.js";
export type { ParamResult, ParamSources } from "./planner/params.js";
export { formatDryRun } from "./executors/dry-run/format.js";
export type { DryRunOptions } from "./executors/dry-run/format.js";
export { toDot, toMermaid } from "./executors/graph/render.js";
