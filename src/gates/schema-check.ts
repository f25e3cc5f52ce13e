/**
 * The metrics file checked against the gate's schema (the Plan's `gate.schema`, from its zod
 * schema) when the gate runs: one sentence per mismatch, a missing key or a value of the wrong type,
 * named by its dot path. The Python twin (`gates/schema.py`) gives the same sentences in the same order.
 */
import type { MetricsSchema } from "../plan/schema.js";
import { kindOf, showActual, showValue } from "./format.js";

type JsonType = NonNullable<MetricsSchema["type"]>[number];

const A_TYPE: Record<JsonType, string> = {
  null: "null",
  boolean: "a boolean",
  number: "a number",
  integer: "an integer",
  string: "a string",
  array: "an array",
  object: "an object",
};

const fits = (type: JsonType, value: unknown) =>
  type === "integer" ? typeof value === "number" && Number.isInteger(value) : kindOf(value) === type;

/** JS's default sort order of strings (UTF-16 code units), which the Python twin repeats. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The types a node admits at its top, for a sentence; empty when it does not say. */
function typesOf(node: MetricsSchema): JsonType[] {
  if (node.type) return node.type;
  if (node.enum) return [...new Set(node.enum.map((v) => kindOf(v) as JsonType))];
  return node.anyOf?.flatMap(typesOf) ?? [];
}

function check(node: MetricsSchema, value: unknown, path: string, out: string[]): void {
  if (node.anyOf && node.anyOf.length > 0) {
    const found = node.anyOf.map((alt) => {
      const o: string[] = [];
      check(alt, value, path, o);
      return o;
    });
    if (!found.some((o) => o.length === 0)) {
      const same = node.anyOf.findIndex((alt) => typesOf(alt).some((t) => fits(t, value)));
      if (same >= 0) out.push(...found[same]!);
      else out.push(`${path} is ${showActual(value, true)}, expected ${expected(node.anyOf.flatMap(typesOf))}`);
      return;
    }
  }
  if (node.type && !node.type.some((t) => fits(t, value))) {
    out.push(`${path} is ${showActual(value, true)}, expected ${expected(node.type)}`);
    return;
  }
  if (node.enum && !node.enum.some((e) => kindOf(e) === kindOf(value) && e === value)) {
    out.push(`${path} is ${showActual(value, false)}, expected one of ${node.enum.map(showValue).join(", ")}`);
    return;
  }
  const at = (key: string) => (path === "" ? key : `${path}.${key}`);
  if (kindOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const properties = node.properties ?? {};
    const required = new Set(node.required ?? []);
    for (const [key, child] of Object.entries(properties)) {
      if (Object.hasOwn(object, key)) check(child, object[key], at(key), out);
      else if (required.has(key)) out.push(`${at(key)} is missing, expected ${expected(typesOf(child))}`);
    }
    for (const key of [...required].filter((k) => !Object.hasOwn(properties, k) && !Object.hasOwn(object, k)))
      out.push(`${at(key)} is missing`);
    if (node.additionalProperties) {
      const extra = Object.keys(object).filter((k) => !Object.hasOwn(properties, k));
      for (const key of extra.sort(byCodeUnits)) check(node.additionalProperties, object[key], at(key), out);
    }
  }
  if (Array.isArray(value) && node.items) value.forEach((v, i) => check(node.items!, v, at(String(i)), out));
}

function expected(types: readonly JsonType[]): string {
  const unique = [...new Set(types)];
  return unique.length === 0 ? "a value" : unique.map((t) => A_TYPE[t]).join(" or ");
}

/**
 * Every way a parsed metrics object disagrees with the gate's schema, in schema order.
 *
 * @example
 * ```ts
 * schemaMismatches({ type: ["object"], properties: { rows: { type: ["number"] } }, required: ["rows"] }, { rows: "80" });
 * // ['rows is the string "80", expected a number']
 * ```
 */
export function schemaMismatches(schema: MetricsSchema, metrics: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  check(schema, metrics, "", out);
  return out;
}
