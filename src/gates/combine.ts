/**
 * `anyOf` and `allOf`: a verdict over the verdicts of their branches. Every branch is judged (no
 * short cut), so the record shows each one; the sentence names the branch that decided.
 */
import type { Check } from "./metric-rules.js";

const NAME = { any: "anyOf", all: "allOf" } as const;

const listed = (branches: readonly Check[]) => branches.map((b, i) => `(${i + 1}) ${b.reason}`).join("; ");

/**
 * The outcome of an `any` or `all` rule from its branches' outcomes; `actual` lists them.
 *
 * @example
 * ```ts
 * combine("any", [{ passed: false, actual: null, reason: "a" }, { passed: true, actual: 1, reason: "b" }]).reason;
 * // "anyOf passed on branch 2 of 2: b"
 * ```
 */
export function combine(op: "any" | "all", branches: readonly Check[]): Check {
  const name = NAME[op];
  const actual = branches.map(({ passed, actual, reason }) => ({ passed, actual, reason }));
  const n = branches.length;
  if (n === 0) return { passed: false, actual, reason: `${name} has no rules` };
  const decisive = branches.findIndex((b) => b.passed === (op === "any"));
  if (op === "any") {
    return decisive < 0
      ? { passed: false, actual, reason: `no branch of anyOf passed: ${listed(branches)}` }
      : {
          passed: true,
          actual,
          reason: `anyOf passed on branch ${decisive + 1} of ${n}: ${branches[decisive]!.reason}`,
        };
  }
  return decisive < 0
    ? { passed: true, actual, reason: `all ${n} branches of allOf passed: ${listed(branches)}` }
    : {
        passed: false,
        actual,
        reason: `allOf failed on branch ${decisive + 1} of ${n}: ${branches[decisive]!.reason}`,
      };
}
