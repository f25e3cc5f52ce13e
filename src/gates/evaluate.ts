/**
 * Gate evaluation as a pure function: rules in, verdict out, no IO. `runGate` gathers the facts
 * (metrics file, file sizes and hashes) on this machine; the Python twin in `python.ts` gathers
 * them on an Airflow worker and repeats this logic exactly, so both give the same verdict, the same
 * per-rule results and the same reason strings (test/gates/vectors.json holds the shared cases).
 */
import type { GateResult, RuleResult } from "../records/manifest.js";
import type { Rule, Template } from "../plan/schema.js";
import type { Gate } from "../plan/schema.js";
import { resolveTemplate, showTemplate, type ParamValue } from "../planner/template.js";
import { checkFile, type FileFacts } from "./file-rules.js";
import { kindOf } from "./format.js";
import type { MetricsInput } from "./metrics-json.js";
import { checkMetric, lookup, type Check } from "./metric-rules.js";
import { combine } from "./combine.js";
import { schemaMismatches } from "./schema-check.js";

export type { FileFacts } from "./file-rules.js";
export type { MetricsInput } from "./metrics-json.js";

/** Everything a verdict depends on. */
export interface GateFacts {
  readonly gateId: string;
  readonly gate: Gate;
  readonly values: Readonly<Record<string, ParamValue>>;
  /** The parsed metrics file or why it could not be read; ignored when the gate names none. */
  readonly metrics: MetricsInput | null;
  /** What was found at each resolved file path (as written in the rule, before joining with cwd). */
  readonly files: Readonly<Record<string, FileFacts>>;
  /** ISO-8601 time of the verdict. */
  readonly time: string;
}

/**
 * A template resolved with the run's values, or the reason it cannot be.
 *
 * @example
 * ```ts
 * tryResolve(["out/", { param: "run" }], { run: "r1" }); // { path: "out/r1" }
 * tryResolve(["out/", { param: "run" }], {}); // { error: '"out/${run}" cannot be resolved (no value for parameter "run")' }
 * ```
 */
export function tryResolve(
  template: Template,
  values: Readonly<Record<string, ParamValue>>,
): { path: string } | { error: string } {
  const missing = template.find((p) => typeof p !== "string" && !Object.hasOwn(values, p.param));
  if (missing === undefined) return { path: resolveTemplate(template, values) };
  const name = typeof missing === "string" ? "" : missing.param;
  return {
    error: `${JSON.stringify(showTemplate(template))} cannot be resolved (no value for parameter ${JSON.stringify(name)})`,
  };
}

const A_KIND = {
  null: "null",
  boolean: "a boolean",
  number: "a number",
  string: "a string",
  array: "an array",
  object: "an object",
};

/** The metrics object, or the clause that every metric rule fails with. */
function metricsObject(facts: GateFacts): { object: Record<string, unknown>; file: string } | { error: string } {
  if (facts.gate.metrics === null) return { error: "the gate names no metrics file" };
  const where = tryResolve(facts.gate.metrics, facts.values);
  if ("error" in where) return { error: `metrics file ${where.error}` };
  const file = `metrics file ${JSON.stringify(where.path)}`;
  if (facts.metrics === null) return { error: `${file} was not read` };
  if ("error" in facts.metrics) return { error: `${file} ${facts.metrics.error}` };
  const kind = kindOf(facts.metrics.value);
  if (kind !== "object") return { error: `${file} holds ${A_KIND[kind]}, not a JSON object` };
  return { object: facts.metrics.value as Record<string, unknown>, file };
}

function checkRule(rule: Rule, facts: GateFacts, metrics: ReturnType<typeof metricsObject>): Check {
  if (rule.op === "any" || rule.op === "all")
    return combine(
      rule.op,
      rule.rules.map((r) => checkRule(r, facts, metrics)),
    );
  if ("metric" in rule) {
    if ("error" in metrics)
      return { passed: false, actual: null, reason: `${rule.metric} cannot be checked: ${metrics.error}` };
    if (rule.op !== "sha256-metric") return checkMetric(rule, metrics.object, facts.values);
    const file = tryResolve(rule.file, facts.values);
    if ("error" in file) return { passed: false, actual: null, reason: `file ${file.error}` };
    return checkFile(rule, file.path, null, facts.files, lookup(metrics.object, rule.metric));
  }
  const file = tryResolve(rule.file, facts.values);
  if ("error" in file) return { passed: false, actual: null, reason: `file ${file.error}` };
  let sumsPath: string | null = null;
  if (rule.op === "sha256-listed") {
    const sums = tryResolve(rule.sums, facts.values);
    if ("error" in sums) return { passed: false, actual: null, reason: `sums file ${sums.error}` };
    sumsPath = sums.path;
  }
  return checkFile(rule, file.path, sumsPath, facts.files);
}

/**
 * The verdict of a gate: PASS iff it has rules, every rule passed and the metrics file agrees with
 * the gate's schema (when it has one); the reason names the schema mismatches, else the first
 * failing rule's reason.
 *
 * @example
 * ```ts
 * evaluateGate({
 *   gateId: "data_ok", gate: { metrics: ["m.json"], rules: [{ op: ">=", metric: "rows", value: 100 }], severity: "block" },
 *   values: {}, metrics: { value: { rows: 80 } }, files: {}, time: "2025-01-01T00:00:00.000Z",
 * }).reason; // "rows is 80, expected at least 100"
 * ```
 */
export function evaluateGate(facts: GateFacts): GateResult {
  const metrics = metricsObject(facts);
  const rules: RuleResult[] = facts.gate.rules.map((rule) => ({ rule, ...checkRule(rule, facts, metrics) }));
  const failed = rules.find((r) => !r.passed);
  const mismatches =
    facts.gate.schema && "object" in metrics ? schemaMismatches(facts.gate.schema, metrics.object) : undefined;
  const schemaReason =
    mismatches?.length && "file" in metrics
      ? `${metrics.file} does not match the gate's schema: ${mismatches.join("; ")}`
      : null;
  const n = rules.length;
  const reason =
    n === 0
      ? "the gate has no rules"
      : (schemaReason ?? failed?.reason ?? (n === 1 ? "the only rule passed" : `all ${n} rules passed`));
  return {
    gate: facts.gateId,
    verdict: n > 0 && failed === undefined && schemaReason === null ? "PASS" : "FAIL",
    severity: facts.gate.severity,
    rules,
    reason,
    time: facts.time,
    ...(mismatches === undefined ? {} : { schemaMismatches: mismatches }),
  };
}
