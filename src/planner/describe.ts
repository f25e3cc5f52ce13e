/**
 * Plan data in words, for dry-runs, summaries and generated documentation.
 */
import { formatDuration } from "./duration.js";
import { retryDelay } from "./retry.js";
import type { ParamPart, Retry, Rule, Template } from "../plan/schema.js";
import { showTemplate } from "./template.js";

const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));

/** Retry waits in seconds up to an hour ("120s" reads better than "2m" in a schedule). */
const wait = (seconds: number) => (seconds < 3600 ? `${Number(seconds.toFixed(3))}s` : formatDuration(seconds));

/**
 * One rule as a sentence fragment; `text` shows file templates (by default with `${param}`
 * placeholders, or pass a resolver to show values).
 *
 * @example
 * ```ts
 * describeRule({ op: ">=", metric: "rows", value: 100 }); // "rows must be at least 100"
 * ```
 */
export function describeRule(rule: Rule, text: (template: Template) => string = showTemplate): string {
  // A bound from a parameter reads as its template: `${min_rows}`, or its value when `text` resolves.
  const bound = (b: number | ParamPart) => (typeof b === "number" ? String(b) : text([b]));
  const branches = (rules: Rule[], word: string) => rules.map((r) => `(${describeRule(r, text)})`).join(` ${word} `);
  switch (rule.op) {
    case "<":
      return `${rule.metric} must be below ${bound(rule.value)}`;
    case "<=":
      return `${rule.metric} must be at most ${bound(rule.value)}`;
    case ">":
      return `${rule.metric} must be above ${bound(rule.value)}`;
    case ">=":
      return `${rule.metric} must be at least ${bound(rule.value)}`;
    case "==":
      return `${rule.metric} must equal ${show(rule.value)}`;
    case "!=":
      return `${rule.metric} must not equal ${show(rule.value)}`;
    case "==i":
      return `${rule.metric} must equal ${show(rule.value)} ignoring case`;
    case "between":
      return `${rule.metric} must be between ${bound(rule.min)} and ${bound(rule.max)}`;
    case "in":
      return `${rule.metric} must be one of ${rule.values.map(show).join(", ")}`;
    case "present":
      return `${rule.metric} must be present`;
    case "absent":
      return `${rule.metric} must be absent`;
    case "file-exists":
      return `file ${text(rule.file)} must exist`;
    case "file-not-empty":
      return `file ${text(rule.file)} must exist and not be empty`;
    case "sha256":
      return `sha256 of ${text(rule.file)} must be ${rule.value}`;
    case "sha256-listed":
      return `sha256 of ${text(rule.file)} must match its entry in ${text(rule.sums)}`;
    case "sha256-metric":
      return `sha256 of ${text(rule.file)} must equal metric ${rule.metric}`;
    case "any":
      return rule.rules.length === 0 ? "anyOf of no rules (always fails)" : branches(rule.rules, "or");
    case "all":
      return rule.rules.length === 0 ? "allOf of no rules (always fails)" : branches(rule.rules, "and");
  }
}

/**
 * The retry schedule in words.
 *
 * @example
 * ```ts
 * describeRetry({ retries: 3, delaySeconds: 60, multiplier: 2, maxDelaySeconds: 600, nonRetryableExitCodes: [2] });
 * // "retries 3: waits 60s, 120s, 240s (cap 600s); exit code 2 fails at once"
 * describeRetry({ retries: 100, delaySeconds: 1, multiplier: 1, maxDelaySeconds: null, nonRetryableExitCodes: [] });
 * // "retries 100: waits 1s, 1s, 1s, … 1s"
 * ```
 */
export function describeRetry(retry: Retry): string {
  const n = retry.nonRetryableExitCodes.length;
  const codes =
    n === 0
      ? ""
      : `; exit code${n > 1 ? "s" : ""} ${retry.nonRetryableExitCodes.join(", ")} fail${n > 1 ? "" : "s"} at once`;
  if (retry.retries === 0) return `no retries${codes}`;
  // A long schedule shows its start and its end: one line, whatever the count.
  const at = (k: number) => wait(retryDelay(retry, k));
  const waits =
    retry.retries <= 6
      ? Array.from({ length: retry.retries }, (_, i) => at(i + 1)).join(", ")
      : `${at(1)}, ${at(2)}, ${at(3)}, … ${at(retry.retries)}`;
  const cap = retry.maxDelaySeconds === null ? "" : ` (cap ${wait(retry.maxDelaySeconds)})`;
  return `retries ${retry.retries}: waits ${waits}${cap}${codes}`;
}
