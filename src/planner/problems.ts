/**
 * Validation problems as data: a kebab-case code, the stage concerned, what is wrong and how to
 * fix it. The planner collects every problem before failing once.
 */
import type { Source } from "./schema.js";

export interface Problem {
  /** Stable kebab-case reason code, for example `unknown-dependency`. */
  readonly code: string;
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
  code: string,
  stage: string | null,
  message: string,
  hint: string,
  extra: { detail?: string | null; source?: Source | null } = {},
): Problem {
  return { code, stage, message, detail: extra.detail ?? null, hint, source: extra.source ?? null };
}
