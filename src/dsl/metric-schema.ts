/**
 * A gate's zod `schema` as plain data (the JSON types found at each metric path). tsx does not
 * type-check, so a misspelt metric name that the compiler would reject still reaches `plan`; the
 * kinds found here let the planner reject it too (metric-check.ts), before anything runs.
 *
 * This is the one module that calls the project's zod (a peer dependency) on a user's schema; it
 * checks that zod is version 4 when it loads.
 */
import { z, type ZodType } from "zod";
import type { MetricsSchema } from "../plan/schema.js";
import { requireZod4 } from "../common/zod-version.js";
import type { MetricKind, MetricKinds } from "./metric-check.js";

requireZod4();

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
