/**
 * Plan data in words, for dry-runs, summaries and generated documentation.
 */
import { formatDuration } from "./duration.js";
import { retryDelays } from "./retry.js";
import type { Retry, Rule } from "./schema.js";
import { showTemplate } from "./template.js";

const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));

/**
 * One rule as a sentence fragment.
 *
 * @example
 * ```ts
 * describeRule({ op: ">=", metric: "rows", value: 100 }); // "rows must be at least 100"
 * ```
 */
export function describeRule(rule: Rule): string {
  switch (rule.op) {
    case "<": return `${rule.metric} must be below ${rule.value}`;
    case "<=": return `${rule.metric} must be at most ${rule.value}`;
    case ">": return `${rule.metric} must be above ${rule.value}`;
    case ">=": return `${rule.metric} must be at least ${rule.value}`;
    case "==": return `${rule.metric} must equal ${show(rule.value)}`;
    case "!=": return `${rule.metric} must not equal ${show(rule.value)}`;
    case "between": return `${rule.metric} must be between ${rule.min} and ${rule.max}`;
    case "in": return `${rule.metric} must be one of ${rule.values.map(show).join(", ")}`;
    case "present": return `${rule.metric} must be present`;
    case "absent": return `${rule.metric} must be absent`;
    case "file-exists": return `file ${showTemplate(rule.file)} must exist`;
    case "file-not-empty": return `file ${showTemplate(rule.file)} must exist and not be empty`;
    case "sha256": return `sha256 of ${showTemplate(rule.file)} must be ${rule.value}`;
    case "sha256-listed": return `sha256 of ${showTemplate(rule.file)} must match its entry in ${showTemplate(rule.sums)}`;
  }
}

/**
 * The retry schedule in words.
 *
 * @example
 * ```ts
 * describeRetry({ retries: 3, delaySeconds: 60, multiplier: 2, maxDelaySeconds: 600, nonRetryableExitCodes: [2] });
 * // "retries 3: waits 60s, 2m, 4m (cap 10m); exit codes 2 fail at once"
 * ```
 */
export function describeRetry(retry: Retry): string {
  const codes = retry.nonRetryableExitCodes.length > 0
    ? `; exit code${retry.nonRetryableExitCodes.length > 1 ? "s" : ""} ${retry.nonRetryableExitCodes.join(", ")} fail at once`
    : "";
  if (retry.retries === 0) return `no retries${codes}`;
  const waits = retryDelays(retry).map(formatDuration).join(", ");
  const cap = retry.maxDelaySeconds === null ? "" : ` (cap ${formatDuration(retry.maxDelaySeconds)})`;
  return `retries ${retry.retries}: waits ${waits}${cap}${codes}`;
}
