/**
 * Time spans as history commands take them (`--since 30d`, `--window 4w`) and durations as they
 * print them.
 */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const SPAN = /^(?:\d+(?:\.\d+)?[smhdw])+$/;
const PART = /(\d+(?:\.\d+)?)([smhdw])/g;

/** One week in milliseconds. */
export const WEEK_MS = UNIT_MS.w;

/**
 * Milliseconds in a span such as "4w", "30d", "1d12h"; null when the text is not one.
 *
 * @example
 * ```ts
 * parseSpan("4w");   // 2419200000
 * parseSpan("soon"); // null
 * ```
 */
export function parseSpan(text: string): number | null {
  const trimmed = text.trim();
  if (!SPAN.test(trimmed)) return null;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART))
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total > 0 ? total : null;
}

/**
 * A duration for a table cell: "0.4s", "12s", "3m05s", "2h10m", or "-" when unknown.
 *
 * @example
 * ```ts
 * formatMs(185_000); // "3m05s"
 * ```
 */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return "-";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/**
 * An ISO time as "YYYY-MM-DD HH:MM:SS" in UTC, or the text unchanged when it is not a date.
 *
 * @example
 * ```ts
 * formatTime("2025-03-01T09:30:00.000Z"); // "2025-03-01 09:30:00"
 * ```
 */
export function formatTime(iso: string | null): string {
  if (iso === null) return "-";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
