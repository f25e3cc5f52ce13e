/**
 * A gate's zod `schema` as plain data (the JSON types found at each metric path), and the rules
 * that disagree with it. tsx does not type-check, so a misspelt metric name that the compiler
 * would reject still reaches `plan`: this lets the planner reject it too, before anything runs.
 */
import { z, type ZodType } from "zod";
import type { LeafRule, MetricsSchema, Rule } from "../plan/schema.js";
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

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; additionalProperties?: unknown };
type Node = JsonSchema & {
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  required?: string[];
  items?: unknown;
};

const toJson = (schema: ZodType): Node | null => {
  try {
    return z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Node;
  } catch {
    return null;
  }
};

/** The part of a JSON Schema node that the evaluators check (see MetricsSchema); a `$ref` accepts anything. */
function subset(node: Node): MetricsSchema {
  const out: MetricsSchema = {};
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) out.anyOf = alternatives.map((n) => subset(n as Node));
  if (node.type !== undefined) out.type = (Array.isArray(node.type) ? node.type : [node.type]) as MetricsSchema["type"];
  if (node.enum) out.enum = node.enum as MetricsSchema["enum"];
  if (node.const !== undefined) out.enum = [node.const as string];
  if (node.properties)
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, subset(v as Node)]));
  if (node.required) out.required = [...node.required];
  if (typeof node.additionalProperties === "object" && node.additionalProperties !== null)
    out.additionalProperties = subset(node.additionalProperties as Node);
  if (typeof node.items === "object" && node.items !== null && !Array.isArray(node.items))
    out.items = subset(node.items as Node);
  return out;
}

/**
 * The gate's zod schema as the Plan records it, for the check of the metrics file when the gate
 * runs; null when it cannot be described as JSON Schema.
 *
 * @example
 * ```ts
 * metricsSchema(z.object({ rows: z.number() })); // { type: ["object"], properties: { rows: { type: ["number"] } }, required: ["rows"] }
 * ```
 */
export function metricsSchema(schema: ZodType): MetricsSchema | null {
  const json = toJson(schema);
  return json === null ? null : subset(json);
}

function kindsOf(node: Node): MetricKind[] {
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) return [...new Set(alternatives.flatMap((n) => kindsOf(n)))];
  if (node.enum) return [...new Set(node.enum.map((v) => (v === null ? "null" : (typeof v as MetricKind))))];
  if (node.const !== undefined) return [node.const === null ? "null" : (typeof node.const as MetricKind)];
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  if (types.length === 0) return ["any"];
  return types.map((t) => (t === "integer" ? "number" : (t as MetricKind)));
}

function walk(node: Node, prefix: string, out: { paths: Record<string, MetricKind[]>; open: string[] }): void {
  for (const alt of node.anyOf ?? node.oneOf ?? []) walk(alt, prefix, out);
  if (node.additionalProperties !== undefined && node.additionalProperties !== false) out.open.push(prefix);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const at = prefix ? `${prefix}.${key}` : key;
    out.paths[at] = [...new Set([...(out.paths[at] ?? []), ...kindsOf(child as Node)])];
    walk(child as Node, at, out);
  }
}

/**
 * The kinds at each path of a zod schema, or null when it cannot be described as JSON Schema.
 *
 * @example
 * ```ts
 * metricKinds(z.object({ rows: z.number() })); // { paths: { rows: ["number"] }, open: [] }
 * ```
 */
export function metricKinds(schema: ZodType): MetricKinds | null {
  const json = toJson(schema);
  if (json === null) return null;
  const out = { paths: {} as Record<string, MetricKind[]>, open: [] as string[] };
  walk(json, "", out);
  return out;
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
