/**
 * Quality-gate rules as data, built with a small typed builder. With a zod schema of the metrics
 * file, metric paths are checked by the compiler.
 */
import type { ParamPart, Rule } from "../plan/schema.js";
import { isParamRef, type ParamRef } from "./params.js";
import { toTemplate, type TextInput } from "./template.js";

type Scalar = string | number | boolean;
type Prev = [never, 0, 1, 2, 3, 4, 5];

/** Dot paths into a JSON object type, up to six levels deep. */
export type MetricPath<T, D extends number = 6> = unknown extends T
  ? string
  : [D] extends [never]
    ? never
    : T extends readonly unknown[]
      ? never
      : T extends object
        ? { [K in keyof T & string]: K | (T[K] extends object ? `${K}.${MetricPath<T[K], Prev[D]>}` : never) }[keyof T &
            string]
        : never;

/** The type found at a dot path. */
export type MetricValue<T, P extends string> = unknown extends T
  ? Scalar
  : P extends `${infer H}.${infer R}`
    ? H extends keyof T
      ? MetricValue<T[H], R>
      : never
    : P extends keyof T
      ? T[P]
      : never;

/**
 * A bound of a comparison: a number, or an int or number parameter (`p.min_rows`), whose value in
 * the run is taken when the gate runs (locally, on Airflow and on SLURM alike).
 */
export type Bound = number | ParamRef<string, number>;

/** Comparisons, offered only on a metric whose schema type includes a number. */
export interface NumericRules {
  /** The metric is a number below `value`. */
  lt(value: Bound): Rule;
  /** The metric is a number at most `value`. */
  lte(value: Bound): Rule;
  /** The metric is a number above `value`. */
  gt(value: Bound): Rule;
  /** The metric is a number at least `value`: `r.metric("rows").gte(p.min_rows)`. */
  gte(value: Bound): Rule;
  /** Inclusive at both ends: the metric is a number from `min` to `max`. */
  between(min: Bound, max: Bound): Rule;
}

/** Rules every metric takes. */
export interface ValueRules<V> {
  /** The metric equals `value` (same JSON type). */
  eq(value: V & Scalar): Rule;
  /** The metric does not equal `value`. */
  ne(value: V & Scalar): Rule;
  /** The metric equals one of `values`. */
  oneOf(values: readonly (V & Scalar)[]): Rule;
  /** The metrics file has a value other than null at this path. */
  present(): Rule;
  /** The metrics file has no value at this path, or null. */
  absent(): Rule;
}

/** A metric that holds text, as `r.file(path).sha256(r.metric("sha256"))` takes it. */
export interface TextMetric {
  /** The metric's dot path. */
  readonly "~metric": string;
}

/** Rules offered only on a metric whose schema type includes a string. */
export interface StringRules extends TextMetric {
  /** A string equal to `value` ignoring case: `eqIgnoreCase("train")` passes on "Train" and "TRAIN". */
  eqIgnoreCase(value: string): Rule;
}

/**
 * Rules on one metric: a string metric (`tag: z.string()`) has no `gte`, so `r.metric("tag").gte(1)`
 * does not compile. Without a schema every rule is offered.
 */
export type MetricRules<V> = ValueRules<V> &
  ([Extract<V, number>] extends [never] ? unknown : NumericRules) &
  ([Extract<V, string>] extends [never] ? unknown : StringRules);

/** Rules on one file. */
export interface FileRules {
  /** The file exists. */
  exists(): Rule;
  /** The file exists and holds at least one byte. */
  notEmpty(): Rule;
  /**
   * The file's SHA-256 equals this hex digest, or the one a string metric of the gate's metrics
   * file holds (a manifest that records its own data's checksum):
   * `r.file(t\`${p.data}/train.bin\`).sha256(r.metric("checksum"))`.
   */
  sha256(hex: string | TextMetric): Rule;
  /** The file's SHA-256 equals the one recorded for its base name in a `sha256sum`-format file. */
  listedIn(sumsFile: TextInput): Rule;
}

/** The builder a gate's `rules` callback receives. */
export interface RuleBuilder<T> {
  /**
   * Rules on the value at a dotted path of the gate's metrics file (`"eval.loss"`); with the gate's
   * zod `schema`, a misspelt path or a value of the wrong type is a compile error.
   *
   * @example
   * ```ts
   * (r) => [r.metric("eval.loss").lte(1.5), r.metric("split").oneOf(["val", "test"])]
   * ```
   */
  metric<P extends MetricPath<T>>(path: P): MetricRules<MetricValue<T, P>>;
  /** Rules on a file, relative to the project: `r.file("out/model.pth").notEmpty()`. */
  file(path: TextInput): FileRules;
  /**
   * Passes when at least one of the rules passes; the verdict names the branch that did.
   *
   * @example
   * ```ts
   * r.anyOf(r.metric("path").eq("data/train.bin"), r.file("data/train.bin").sha256(r.metric("sha256")))
   * ```
   */
  anyOf(first: Rule, ...rest: Rule[]): Rule;
  /** Passes when every one of the rules passes; the verdict names the first branch that failed. */
  allOf(first: Rule, ...rest: Rule[]): Rule;
}

const freeze = (rule: Rule): Rule => Object.freeze(rule);
const bound = (b: Bound): number | ParamPart => (isParamRef(b) ? { param: b.name } : b);

/** The rule builder (its types narrow with the gate's metrics schema). */
export function ruleBuilder<T>(): RuleBuilder<T> {
  return {
    // Every rule is built; the type (MetricRules) hides the numeric ones from a metric that is no number.
    metric: <P extends MetricPath<T>>(metric: P) => {
      const rules: NumericRules & StringRules & ValueRules<Scalar> = {
        "~metric": metric,
        lt: (value) => freeze({ op: "<", metric, value: bound(value) }),
        lte: (value) => freeze({ op: "<=", metric, value: bound(value) }),
        gt: (value) => freeze({ op: ">", metric, value: bound(value) }),
        gte: (value) => freeze({ op: ">=", metric, value: bound(value) }),
        eq: (value) => freeze({ op: "==", metric, value }),
        ne: (value) => freeze({ op: "!=", metric, value }),
        eqIgnoreCase: (value) => freeze({ op: "==i", metric, value }),
        between: (min, max) => freeze({ op: "between", metric, min: bound(min), max: bound(max) }),
        oneOf: (values) => freeze({ op: "in", metric, values: [...values] }),
        present: () => freeze({ op: "present", metric }),
        absent: () => freeze({ op: "absent", metric }),
      };
      return rules as unknown as MetricRules<MetricValue<T, P>>;
    },
    file: (path) => {
      const file = toTemplate(path);
      return {
        exists: () => freeze({ op: "file-exists", file }),
        notEmpty: () => freeze({ op: "file-not-empty", file }),
        sha256: (value) =>
          typeof value === "string"
            ? freeze({ op: "sha256", file, value })
            : freeze({ op: "sha256-metric", file, metric: value["~metric"] }),
        listedIn: (sums) => freeze({ op: "sha256-listed", file, sums: toTemplate(sums) }),
      };
    },
    anyOf: (...rules) => freeze({ op: "any", rules: Object.freeze([...rules]) as Rule[] }),
    allOf: (...rules) => freeze({ op: "all", rules: Object.freeze([...rules]) as Rule[] }),
  };
}
