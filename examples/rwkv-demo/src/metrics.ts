/**
 * Dataset quality metrics: the numbers the dataset gate judges before any GPU time is spent.
 */
import { CATEGORIES, isCategory, TARGET_SHARES } from "./categories.js";
import type { Dataset, Row } from "./dataset.js";
import type { DatasetMetrics } from "./schemas.js";

/** Rows shorter than this many characters are counted as too short. */
export const MIN_CHARS = 20;
/** Rows longer than this many characters are counted as too long. */
export const MAX_CHARS = 16_000;

const SECRET_PATTERNS: readonly RegExp[] = [
  /(password|passwd|пароль)\s*[:=]\s*\S/iu,
  /\b(sk|ghp|xoxb|xoxp)[-_][A-Za-z0-9]{16,}/u,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/u,
];

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.floor(q * (sorted.length - 1))]!;
}

/**
 * Whether most letters of a prompt are Cyrillic (code identifiers in 1C are Russian too).
 *
 * @example
 * ```ts
 * isRussian("Отрефактори Для Каждого"); // true
 * isRussian("Refactor this loop");       // false
 * ```
 */
export function isRussian(text: string): boolean {
  const cyrillic = text.match(/[\u0400-\u04FF]/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/gu)?.length ?? 0;
  return cyrillic > 0 && cyrillic >= latin;
}

function lengthStats(rows: readonly Row[]): DatasetMetrics["length"] {
  const lengths = rows.map((r) => [...r.text].length).sort((a, b) => a - b);
  const sum = lengths.reduce((a, b) => a + b, 0);
  return {
    min_chars: lengths[0] ?? 0,
    max_chars: lengths.at(-1) ?? 0,
    mean_chars: round(lengths.length ? sum / lengths.length : 0),
    p50_chars: percentile(lengths, 0.5),
    p95_chars: percentile(lengths, 0.95),
    too_short_rows: lengths.filter((n) => n < MIN_CHARS).length,
    too_long_rows: lengths.filter((n) => n > MAX_CHARS).length,
  };
}

function categoryStats(rows: readonly Row[]): DatasetMetrics["categories"] {
  const n = rows.length;
  const stats = Object.fromEntries(
    CATEGORIES.map((c) => {
      const count = rows.filter((r) => r.category === c).length;
      const share = n ? count / n : 0;
      return [
        c,
        {
          rows: count,
          share: round(share),
          target: TARGET_SHARES[c],
          deviation: round(Math.abs(share - TARGET_SHARES[c])),
        },
      ];
    }),
  ) as Omit<DatasetMetrics["categories"], "unknown_rows" | "max_deviation">;
  const max = Math.max(...CATEGORIES.map((c) => stats[c].deviation));
  return { ...stats, unknown_rows: rows.filter((r) => !isCategory(r.category)).length, max_deviation: max };
}

function duplicates(rows: readonly Row[], allRows: number): { unique: number; dup: number; top: number } {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.text, (counts.get(r.text) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  return {
    unique: rows.length ? counts.size / rows.length : 0,
    dup: rows.length - counts.size,
    top: allRows ? top / allRows : 0,
  };
}

/**
 * What the token counts say about the data: totals, characters per token (end-of-document ids not
 * counted), and the documents longer than ctx_len.
 *
 * @example
 * ```ts
 * tokenMetrics(["Да"], [Uint16Array.of(40843, 0)], 512); // { total: 2, chars: 2, chars_per_token: 2, ... }
 * ```
 */
export function tokenMetrics(
  texts: readonly string[],
  documents: readonly ArrayLike<number>[],
  ctxLen: number,
): Pick<
  DatasetMetrics["tokens"],
  "total" | "chars" | "chars_per_token" | "max_document_tokens" | "documents_over_ctx_len" | "ctx_len"
> {
  const total = documents.reduce((n, d) => n + d.length, 0);
  const chars = texts.reduce((n, t) => n + [...t].length, 0);
  const textTokens = total - documents.length;
  return {
    total,
    chars,
    chars_per_token: round(textTokens > 0 ? chars / textTokens : 0),
    max_document_tokens: Math.max(0, ...documents.map((d) => d.length)),
    documents_over_ctx_len: documents.filter((d) => d.length > ctxLen).length,
    ctx_len: ctxLen,
  };
}

/**
 * The quality metrics of a dataset (tokens are filled in by the caller after tokenising).
 *
 * @example
 * ```ts
 * const m = datasetMetrics(readDataset("train.jsonl"), readDataset("heldout.jsonl"), tokens);
 * m.unique_ratio; // 1
 * ```
 */
export function datasetMetrics(
  data: Dataset,
  heldout: Dataset | null,
  tokens: DatasetMetrics["tokens"],
): DatasetMetrics {
  const used = data.rows.filter((r) => !r.empty);
  const rows = data.rows.length + data.blankLines + data.invalidJson.length + data.invalidUtf8Lines.length;
  const emptyRows = data.blankLines + (data.rows.length - used.length);
  const dup = duplicates(used, rows);
  const heldPrompts = new Set((heldout?.rows ?? []).map((r) => r.prompt.trim()));
  return {
    input: { path: data.path, sha256: data.sha256, bytes: data.bytes },
    rows,
    documents: used.length,
    empty_rows: emptyRows,
    empty_share: round(rows ? emptyRows / rows : 0),
    invalid_json_rows: data.invalidJson.length,
    invalid_utf8_rows: data.invalidUtf8Lines.length,
    valid_utf8: data.invalidUtf8Lines.length === 0,
    unique_ratio: round(dup.unique),
    duplicate_rows: dup.dup,
    top_row_share: round(dup.top),
    length: lengthStats(used),
    normalised: { bom_stripped: data.bomStripped, crlf_rows: data.crlfLines },
    categories: categoryStats(used),
    russian_prompt_share: round(used.length ? used.filter((r) => isRussian(r.prompt)).length / used.length : 0),
    secret_rows: used.filter((r) => SECRET_PATTERNS.some((p) => p.test(r.text))).length,
    leakage_rows: used.filter((r) => heldPrompts.has(r.prompt.trim())).length,
    tokens,
  };
}
