/**
 * The retry schedule: one formula, used by the dry-run, the local executor and the exporters.
 */
import type { Retry } from "../plan/schema.js";

/** The most retries a stage may have: a schedule people can read, and Airflow can hold. */
export const MAX_RETRIES = 100;

/** The largest backoff multiplier. */
export const MAX_BACKOFF = 10;

/**
 * Delay in seconds before retry number `n` (1-based):
 * `min(maxDelaySeconds, delaySeconds * multiplier ** (n - 1))`.
 *
 * @example
 * ```ts
 * retryDelay({ retries: 3, delaySeconds: 60, multiplier: 2, maxDelaySeconds: 600, nonRetryableExitCodes: [] }, 3); // 240
 * ```
 */
export function retryDelay(retry: Retry, n: number): number {
  const raw = retry.delaySeconds * retry.multiplier ** (n - 1);
  return retry.maxDelaySeconds === null ? raw : Math.min(retry.maxDelaySeconds, raw);
}

/**
 * Every delay of the schedule, in order.
 *
 * @example
 * ```ts
 * retryDelays({ retries: 3, delaySeconds: 60, multiplier: 2, maxDelaySeconds: 600, nonRetryableExitCodes: [] }); // [60, 120, 240]
 * ```
 */
export function retryDelays(retry: Retry): number[] {
  return Array.from({ length: Math.max(0, retry.retries) }, (_, i) => retryDelay(retry, i + 1));
}
