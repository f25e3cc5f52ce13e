/**
 * `updraft/gates`: evaluate a gate stage's rules on a metrics file, as a run does.
 *
 * @example
 * ```ts
 * import { evaluateGate } from "updraft/gates";
 * ```
 */
export { runGate } from "./gates/run-gate.js";
export { evaluateGate, tryResolve } from "./gates/evaluate.js";
export type { FileFacts, GateFacts, MetricsInput } from "./gates/evaluate.js";
export { parseMetricsBytes } from "./gates/metrics-json.js";
export { parseSums } from "./gates/sums.js";
export type { SumsEntry } from "./gates/sums.js";
