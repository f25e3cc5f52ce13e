/**
 * Durations as people write them: "90s", "10m", "12h", "1d", "1h30m", or a number of seconds.
 */

/**
 * The longest duration updraft waits for (a timeout, a retry delay): 24 days, below the 2^31 ms a
 * Node timer can hold, so the local executor and Airflow wait the same.
 */
export const MAX_DURATION_SECONDS = 24 * 86400;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;
const DURATION = /^(?:\d+(?:\.\d+)?[smhd])+$/;
const PART = /(\d+(?:\.\d+)?)([smhd])/g;

/**
 * Seconds in a duration, or null when it is not one.
 *
 * @example
 * ```ts
 * parseDuration("1h30m"); // 5400
 * parseDuration(45);      // 45
 * parseDuration("soon");  // null
 * ```
 */
export function parseDuration(input: unknown): number | null {
  if (typeof input === "number") return Number.isFinite(input) ? input : null;
  if (typeof input !== "string") return null;
  const text = input.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (!DURATION.test(text)) return null;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS];
  }
  return total;
}

/**
 * A number of seconds in the shortest exact form: 90 -> "90s", 600 -> "10m", 5400 -> "1h30m".
 *
 * @example
 * ```ts
 * formatDuration(5400); // "1h30m"
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 60 || !Number.isInteger(seconds)) return `${Number(seconds.toFixed(3))}s`;
  let rest = seconds;
  let out = "";
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
