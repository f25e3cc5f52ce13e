/**
 * Walking gate rules: `any` and `all` hold other rules, so a reader that wants every rule on a
 * value or a file (to check its metric, read its file, list its parameters) flattens them first.
 */
import type { LeafRule, Rule } from "./schema.js";

/**
 * The rules on one value or one file inside `rules`, in order, however deeply `any`/`all` nest them.
 *
 * @example
 * ```ts
 * leafRules([{ op: "any", rules: [{ op: "present", metric: "a" }] }]); // [{ op: "present", metric: "a" }]
 * ```
 */
export function leafRules(rules: readonly Rule[]): LeafRule[] {
  return rules.flatMap((r) => (r.op === "any" || r.op === "all" ? leafRules(r.rules) : [r]));
}

/**
 * The parameters that numeric rules take their bounds from (`gte(p.min_rows)`), in order, once each.
 *
 * @example
 * ```ts
 * boundParams([{ op: ">=", metric: "rows", value: { param: "min_rows" } }]); // ["min_rows"]
 * ```
 */
export function boundParams(rules: readonly Rule[]): string[] {
  const names = leafRules(rules).flatMap((r) =>
    r.op === "between"
      ? [r.min, r.max]
      : r.op === "<" || r.op === "<=" || r.op === ">" || r.op === ">="
        ? [r.value]
        : [],
  );
  return [...new Set(names.flatMap((b) => (typeof b === "number" ? [] : [b.param])))];
}
