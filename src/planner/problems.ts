/**
 * Validation problems as data: a kebab-case code, the stage concerned, what is wrong and how to
 * fix it. The planner collects every problem before failing once.
 */
import type { Source } from "../plan/schema.js";

/**
 * Every reason code a problem can carry: stable, kebab-case, listed once so that a misspelt code is a
 * compile error and tools can switch on them.
 *
 * @example
 * ```ts
 * const code: ProblemCode = "unknown-dependency";
 * ```
 */
export type ProblemCode =
  | "bound-param-type"
  | "dependency-cycle"
  | "duplicate-output"
  | "duplicate-param"
  | "duplicate-stage"
  | "empty-command"
  | "empty-gate"
  | "escaped-shell-expansion"
  | "foreign-dependency"
  | "hash-mismatch"
  | "invalid-airflow-setting"
  | "invalid-backoff"
  | "invalid-env-name"
  | "invalid-estimate"
  | "invalid-exit-code"
  | "invalid-gpu"
  | "invalid-max-active-runs"
  | "invalid-param"
  | "invalid-param-syntax"
  | "invalid-param-value"
  | "invalid-pipeline-id"
  | "invalid-plan-shape"
  | "invalid-retries"
  | "invalid-retry-delay"
  | "invalid-schedule"
  | "invalid-stage-id"
  | "invalid-timeout"
  | "max-delay-below-delay"
  | "metric-type-mismatch"
  | "missing-metrics-file"
  | "missing-param"
  | "param-default-cycle"
  | "path-outside-project"
  | "secret-env-conflict"
  | "unknown-dependency"
  | "unknown-metric"
  | "unknown-param"
  | "unsafe-shell-param"
  | "unsupported-plan-version";

export interface Problem {
  /** Stable kebab-case reason code, for example `unknown-dependency`. */
  readonly code: ProblemCode;
  /** The stage concerned, or null for pipeline-wide problems. */
  readonly stage: string | null;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** A second line with evidence, such as the whole cycle; null when there is none. */
  readonly detail: string | null;
  /** How to fix it. */
  readonly hint: string;
  /** Where the stage (or pipeline) was declared, when known. */
  readonly source: Source | null;
}

/** Build a problem; `detail` and `source` are optional. */
export function problem(
  code: ProblemCode,
  stage: string | null,
  message: string,
  hint: string,
  extra: { detail?: string | null; source?: Source | null } = {},
): Problem {
  return { code, stage, message, detail: extra.detail ?? null, hint, source: extra.source ?? null };
}
