/**
 * How gate reasons show values. Reasons are a contract shared with the Python evaluator, so every
 * rule here is one the Python twin repeats exactly: numbers as JavaScript prints them (`1`, not
 * `1.0`; `1e+21`; `1e-7`), strings JSON-quoted, objects and arrays named, never dumped.
 */

/** The JSON kind of a value: what equality and type checks compare. */
export type ValueKind = "null" | "boolean" | "number" | "string" | "array" | "object";

/**
 * The JSON kind of a parsed value (booleans are never numbers).
 *
 * @example
 * ```ts
 * kindOf(true); // "boolean"
 * ```
 */
export function kindOf(value: unknown): ValueKind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
    default:
      return "object";
  }
}

/**
 * A number as JavaScript's `String` prints it; `-0` prints `0`, non-finite values by name.
 *
 * @example
 * ```ts
 * formatNumber(1.0); // "1"
 * formatNumber(NaN); // "NaN"
 * ```
 */
export function formatNumber(n: number): string {
  return String(n);
}

/**
 * A value inside a reason: strings JSON-quoted, numbers as `formatNumber`, containers named.
 *
 * @example
 * ```ts
 * showValue("pass"); // "\"pass\""
 * showValue([1]); // "an array"
 * ```
 */
export function showValue(value: unknown): string {
  switch (kindOf(value)) {
    case "null":
      return "null";
    case "boolean":
      return String(value);
    case "number":
      return formatNumber(value as number);
    case "string":
      return JSON.stringify(value);
    case "array":
      return "an array";
    case "object":
      return "an object";
  }
}

const SCALARS: ReadonlySet<ValueKind> = new Set(["boolean", "number", "string"]);

/**
 * A found value as a reason shows it; `qualify` names a scalar's kind, for type mismatches.
 *
 * @example
 * ```ts
 * showActual("80", true); // 'the string "80"'
 * ```
 */
export function showActual(value: unknown, qualify: boolean): string {
  const kind = kindOf(value);
  return qualify && SCALARS.has(kind) ? `the ${kind} ${showValue(value)}` : showValue(value);
}

/**
 * A value made safe for strict JSON: NaN and the infinities become their names, -0 becomes 0.
 *
 * @example
 * ```ts
 * jsonSafe({ loss: NaN }); // { loss: "NaN" }
 * ```
 */
export function jsonSafe(value: unknown): unknown {
  // -0 becomes 0, as JSON.stringify writes it and Python's json.dumps does not.
  if (typeof value === "number") return Number.isFinite(value) ? value + 0 : formatNumber(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}

/**
 * `n byte(s)`.
 *
 * @example
 * ```ts
 * formatBytes(1); // "1 byte"
 * ```
 */
export function formatBytes(n: number): string {
  return n === 1 ? "1 byte" : `${formatNumber(n)} bytes`;
}
