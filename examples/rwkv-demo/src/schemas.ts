/**
 * The JSON files the quality gates read, as zod schemas: the tools write them, the pipeline's
 * gates name their fields, and the compiler checks those names.
 */
import { z } from "zod";

const share = z.number().min(0).max(1);

const CategoryStats = z.object({
  rows: z.number(),
  share,
  target: share,
  /** |share - target|, in share units (0.05 = 5 percentage points). */
  deviation: z.number(),
});

/**
 * Dataset quality metrics, written by `prepare.ts` to `<data>/metrics.json`.
 *
 * @example
 * ```ts
 * const metrics = DatasetMetricsSchema.parse(JSON.parse(readFileSync("metrics.json", "utf8")));
 * ```
 */
export const DatasetMetricsSchema = z.object({
  input: z.object({ path: z.string(), sha256: z.string(), bytes: z.number() }),
  /** Non-blank lines plus blank lines: every row of the file. */
  rows: z.number(),
  /** Rows that became training documents. */
  documents: z.number(),
  empty_rows: z.number(),
  empty_share: share,
  invalid_json_rows: z.number(),
  invalid_utf8_rows: z.number(),
  valid_utf8: z.boolean(),
  /** Distinct non-empty texts / non-empty rows. */
  unique_ratio: share,
  duplicate_rows: z.number(),
  /** Rows holding the most frequent text / all rows. */
  top_row_share: share,
  length: z.object({
    min_chars: z.number(),
    max_chars: z.number(),
    mean_chars: z.number(),
    p50_chars: z.number(),
    p95_chars: z.number(),
    too_short_rows: z.number(),
    too_long_rows: z.number(),
  }),
  normalised: z.object({ bom_stripped: z.boolean(), crlf_rows: z.number() }),
  categories: z.object({
    code_generation: CategoryStats,
    refactoring: CategoryStats,
    queries_1c: CategoryStats,
    explanation_review: CategoryStats,
    unknown_rows: z.number(),
    max_deviation: z.number(),
  }),
  russian_prompt_share: share,
  secret_rows: z.number(),
  /** Prompts that also appear in the held-out set. */
  leakage_rows: z.number(),
  tokens: z.object({
    tokenizer: z.string(),
    /** sha256 of rwkv_vocab_v20230424.txt as the tokenizer read it. */
    vocab_sha256: z.string(),
    /** Every id in the .bin, end-of-document ids included. */
    total: z.number(),
    /** Characters (Unicode code points) of the documents. */
    chars: z.number(),
    /** chars / (total - documents): characters per token, end-of-document ids not counted. */
    chars_per_token: z.number(),
    /** Tokens of the longest document, its end-of-document id included. */
    max_document_tokens: z.number(),
    /** Documents longer than ctx_len tokens (train.py cuts samples at ctx_len, across documents). */
    documents_over_ctx_len: z.number(),
    /** Documents whose decode(encode(text)) is not the text (prepare fails when there is one). */
    round_trip_failures: z.number(),
    ctx_len: z.number(),
    samples: z.number(),
    /** null when the data is too small for train.py. */
    magic_prime: z.number().nullable(),
    my_exit_tokens: z.number(),
  }),
});
export type DatasetMetrics = z.output<typeof DatasetMetricsSchema>;

const LossStats = z.object({
  /** Mean cross-entropy in nats per token. */
  loss: z.number(),
  perplexity: z.number(),
  tokens: z.number(),
  documents: z.number(),
});

/**
 * Evaluation summary, written by `evaluate.ts` to `<eval>/summary.json`.
 *
 * @example
 * ```ts
 * const summary = EvalSummarySchema.parse(JSON.parse(readFileSync("summary.json", "utf8")));
 * ```
 */
export const EvalSummarySchema = z.object({
  model: z.object({ path: z.string(), sha256: z.string(), kind: z.string() }),
  base_model: z.object({ path: z.string(), sha256: z.string() }),
  /** The fine-tuned model on the held-out 1C split. */
  heldout: LossStats,
  domain_eval: z.object({
    verdict: z.enum(["PASS", "FAIL"]),
    loss: z.number(),
    base_loss: z.number(),
    /** 1 - loss / base_loss on the held-out 1C split: how much of the base's loss fine-tuning removed. */
    gain: z.number(),
    min_gain: z.number(),
    reason: z.string(),
  }),
  retention_eval: z.object({
    verdict: z.enum(["PASS", "FAIL"]),
    loss: z.number(),
    base_loss: z.number(),
    /** loss / base_loss - 1 on general text. */
    regression: z.number(),
    max_regression: z.number(),
    reason: z.string(),
  }),
});
export type EvalSummary = z.output<typeof EvalSummarySchema>;
