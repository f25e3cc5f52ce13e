/**
 * Metric rules: look a dot path up in the metrics object and judge the value found. Anything that
 * is not the expected kind of value (missing, null, a string where a number is compared, a boolean,
 * NaN or an infinity) fails the rule with a reason; nothing passes by accident.
 */
import type { Rule } from "../plan/schema.js";
import { formatNumber, jsonSafe, kindOf, showActual, showValue } from "./format.js";

/** A metric rule (every rule with a `metric`). */
export type MetricRule = Extract<Rule, { metric: string }>;

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

function numericCheck(rule: MetricRule, value: unknown, found: boolean): Check {
  let expected: string;
  let test: (n: number) => boolean;
  if (rule.op === "between") {
    expected = `between ${formatNumber(rule.min)} and ${formatNumber(rule.max)}`;
    test = (n) => n >= rule.min && n <= rule.max;
  } else if (rule.op === "<" || rule.op === "<=" || rule.op === ">" || rule.op === ">=") {
    const { op, value: bound } = rule;
    expected = `${NUMERIC_PHRASE[op]} ${formatNumber(bound)}`;
    test = (n) => (op === "<" ? n < bound : op === "<=" ? n <= bound : op === ">" ? n > bound : n >= bound);
  } else {
    throw new Error(`not a numeric rule: ${rule.op}`);
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
 * Judge one metric rule against a metrics object.
 *
 * @example
 * ```ts
 * checkMetric({ op: ">=", metric: "rows", value: 100 }, { rows: 80 });
 * // { passed: false, actual: 80, reason: "rows is 80, expected at least 100" }
 * ```
 */
export function checkMetric(rule: MetricRule, metrics: Readonly<Record<string, unknown>>): Check {
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
  if (rule.op === "between" || rule.op in NUMERIC_PHRASE) return numericCheck(rule, value, found !== undefined);
  const { expected, kinds, test } = expectation(rule);
  if (!found) return { passed: false, actual, reason: `${rule.metric} is missing, expected ${expected}` };
  const qualify = kinds.length > 0 && !kinds.some((k) => sameKind(k, value));
  const passed = !nonFinite(value) && test(value);
  return { passed, actual, reason: `${rule.metric} is ${showActual(value, qualify)}, expected ${expected}` };
}
