/**
 * The rules of a gate that disagree with its schema's metric kinds (metric-schema.ts finds those):
 * a metric the schema lacks, or one compared as the wrong type. No zod here: the planner loads this
 * for every plan, and a Plan read from JSON carries no zod schema.
 */
import type { LeafRule, Rule } from "../plan/schema.js";
import { leafRules } from "../plan/rules.js";
import { closest } from "../common/did-you-mean.js";

/** A JSON type, or "any" where the schema does not say. */
export type MetricKind = "number" | "string" | "boolean" | "null" | "object" | "array" | "any";

/** Metric path -> its possible kinds; `open` lists paths under which any key may appear. */
export interface MetricKinds {
  readonly paths: Readonly<Record<string, readonly MetricKind[]>>;
  readonly open: readonly string[];
}

/** A rule that disagrees with the schema, as the planner reports it. */
export interface MetricMismatch {
  readonly code: "unknown-metric" | "metric-type-mismatch";
  readonly message: string;
  readonly hint: string;
}

const NUMERIC = new Set(["<", "<=", ">", ">=", "between"]);

function valuesOf(rule: LeafRule): unknown[] {
  if (rule.op === "in") return rule.values;
  if (rule.op === "sha256-metric") return [""];
  if (rule.op === "==" || rule.op === "!=" || rule.op === "==i") return [rule.value];
  return [];
}

/**
 * The rules of one gate that name a metric the schema lacks, or compare it as the wrong type.
 *
 * @example
 * ```ts
 * metricMismatches("data_ok", rules, metricKinds(Metrics)!);
 * ```
 */
export function metricMismatches(gate: string, rules: readonly Rule[], kinds: MetricKinds): MetricMismatch[] {
  const out: MetricMismatch[] = [];
  const names = Object.keys(kinds.paths);
  for (const rule of leafRules(rules)) {
    if (!("metric" in rule)) continue;
    const found = kinds.paths[rule.metric];
    if (!found) {
      if (kinds.open.some((p) => p === "" || rule.metric.startsWith(`${p}.`))) continue;
      const near = closest(rule.metric, names);
      out.push({
        code: "unknown-metric",
        message: `gate "${gate}" checks metric "${rule.metric}", which its schema does not have`,
        hint: `${near ? `did you mean "${near}"? ` : ""}the schema has: ${names.join(", ") || "(no fields)"}`,
      });
      continue;
    }
    if (found.includes("any")) continue;
    const wanted = NUMERIC.has(rule.op) ? ["number"] : valuesOf(rule).map((v) => (v === null ? "null" : typeof v));
    const wrong = wanted.find((k) => !found.includes(k as MetricKind));
    if (wrong) {
      out.push({
        code: "metric-type-mismatch",
        message: `gate "${gate}" compares metric "${rule.metric}" (${found.join(" | ")} in its schema) with a ${wrong}`,
        hint: `compare "${rule.metric}" with a ${found.join(" or ")} value, or fix the schema`,
      });
    }
  }
  return out;
}
