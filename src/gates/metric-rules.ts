/**
 * Metric rules: look a dot path up in the metrics object and judge the value found. Anything that
 * is not the expected kind of value (missing, null, a string where a number is compared, a boolean,
 * NaN or an infinity) fails the rule with a reason; nothing passes by accident.
 */
import type { LeafRule, ParamPart } from "../plan/schema.js";
import type { ParamValue } from "../planner/template.js";
import { formatNumber, jsonSafe, kindOf, showActual, showValue } from "./format.js";

/** A metric rule (every rule with a `metric`). */
export type MetricRule = Exclude<Extract<LeafRule, { metric: string }>, { op: "sha256-metric" }>;

type Values = Readonly<Record<string, ParamValue>>;

/** What a rule check returns: the RuleResult without its rule. */
export interface Check {
  readonly passed: boolean;
  readonly actual: unknown;
  readonly reason: string;
}

/** The value at a path, or `undefined` when the path leads nowhere. */
type Found = { readonly value: unknown } | undefined;

const INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Follow a dot path into parsed JSON: object keys, and decimal array indices (`items.0.score`).
 *
 * @example
 * ```ts
 * lookup({ eval: { verdict: "pass" } }, "eval.verdict"); // { value: "pass" }
 * ```
 */
export function lookup(root: unknown, path: string): Found {
  let current: unknown = root;
  for (const segment of path.split(".")) {
    if (Array.isArray(current) && INDEX.test(segment) && Number(segment) < current.length) {
      current = current[Number(segment)];
    } else if (kindOf(current) === "object" && Object.hasOwn(current as object, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return { value: current };
}

const nonFinite = (v: unknown) => typeof v === "number" && !Number.isFinite(v);
const sameKind = (a: unknown, b: unknown) => kindOf(a) === kindOf(b);
/** JSON equality of scalars and null: same kind and same value; 1 and 1.0 are one number. */
const same = (a: unknown, b: unknown) => sameKind(a, b) && a === b;

const NUMERIC_PHRASE = { "<": "below", "<=": "at most", ">": "above", ">=": "at least" } as const;

/** A bound as a number and its text, or why the run's parameter cannot be one. */
type Bound = { n: number; text: string };

function bound(b: number | ParamPart, values: Values): Bound | { error: string } {
  if (typeof b === "number") return { n: b, text: formatNumber(b) };
  const name = JSON.stringify(b.param);
  if (!Object.hasOwn(values, b.param)) return { error: `no value for parameter ${name}` };
  const v = values[b.param];
  if (typeof v !== "number" || !Number.isFinite(v))
    return { error: `parameter ${name} is ${showActual(v, true)}, not a finite number` };
  return { n: v, text: `${formatNumber(v)} (parameter ${b.param})` };
}

type NumericRule = Extract<MetricRule, { op: "<" | "<=" | ">" | ">=" | "between" }>;

function numericCheck(rule: NumericRule, value: unknown, found: boolean, values: Values): Check {
  const resolved = (rule.op === "between" ? [rule.min, rule.max] : [rule.value]).map((b) => bound(b, values));
  for (const b of resolved)
    if ("error" in b) return { passed: false, actual: null, reason: `${rule.metric} cannot be checked: ${b.error}` };
  const [lo, hi] = resolved as [Bound, Bound?];
  let expected: string;
  let test: (n: number) => boolean;
  if (rule.op === "between") {
    const top = hi!;
    expected = `between ${lo.text} and ${top.text}`;
    test = (n) => n >= lo.n && n <= top.n;
  } else {
    const { op } = rule;
    const b = lo.n;
    expected = `${NUMERIC_PHRASE[op]} ${lo.text}`;
    test = (n) => (op === "<" ? n < b : op === "<=" ? n <= b : op === ">" ? n > b : n >= b);
  }
  const actual = found ? showActual(value, kindOf(value) !== "number") : "missing";
  if (found && typeof value === "number" && Number.isFinite(value)) {
    return {
      passed: test(value),
      actual: jsonSafe(value),
      reason: `${rule.metric} is ${actual}, expected ${expected}`,
    };
  }
  const kind = nonFinite(value) ? "a finite number" : "a number";
  return {
    passed: false,
    actual: found ? jsonSafe(value) : null,
    reason: `${rule.metric} is ${actual}, expected ${kind} ${expected}`,
  };
}

function expectation(rule: MetricRule): { expected: string; kinds: unknown[]; test: (v: unknown) => boolean } {
  switch (rule.op) {
    case "==":
      return { expected: showValue(rule.value), kinds: [rule.value], test: (v) => same(v, rule.value) };
    case "!=":
      if (rule.value === null) return { expected: "a value other than null", kinds: [], test: (v) => v !== null };
      return {
        expected: `a ${kindOf(rule.value)} other than ${showValue(rule.value)}`,
        kinds: [rule.value],
        test: (v) => sameKind(v, rule.value) && v !== rule.value,
      };
    case "==i": {
      const want = rule.value.toLowerCase();
      return {
        expected: `${showValue(rule.value)} ignoring case`,
        kinds: [rule.value],
        test: (v) => typeof v === "string" && v.toLowerCase() === want,
      };
    }
    case "in":
      return {
        expected:
          rule.values.length === 0
            ? "one of no values (the list is empty)"
            : `one of ${rule.values.map(showValue).join(", ")}`,
        kinds: rule.values,
        test: (v) => rule.values.some((x) => same(v, x)),
      };
    case "present":
      return { expected: "present", kinds: [], test: (v) => v !== null };
    default:
      throw new Error(`not a value rule: ${rule.op}`);
  }
}

/**
 * Judge one metric rule against a metrics object; a bound named by a parameter takes its value in `values`.
 *
 * @example
 * ```ts
 * checkMetric({ op: ">=", metric: "rows", value: 100 }, { rows: 80 });
 * // { passed: false, actual: 80, reason: "rows is 80, expected at least 100" }
 * ```
 */
export function checkMetric(rule: MetricRule, metrics: Readonly<Record<string, unknown>>, values: Values = {}): Check {
  const found = lookup(metrics, rule.metric);
  const value = found?.value;
  const actual = found ? jsonSafe(value) : null;
  if (rule.op === "absent") {
    const passed = !found || value === null;
    return {
      passed,
      actual,
      reason: `${rule.metric} is ${found ? showActual(value, false) : "missing"}, expected absent`,
    };
  }
  if (rule.op === "between" || rule.op === "<" || rule.op === "<=" || rule.op === ">" || rule.op === ">=")
    return numericCheck(rule, value, found !== undefined, values);
  const { expected, kinds, test } = expectation(rule);
  if (!found) return { passed: false, actual, reason: `${rule.metric} is missing, expected ${expected}` };
  const qualify = kinds.length > 0 && !kinds.some((k) => sameKind(k, value));
  const passed = !nonFinite(value) && test(value);
  return { passed, actual, reason: `${rule.metric} is ${showActual(value, qualify)}, expected ${expected}` };
}
