/**
 * The model card: what a released model is, what it was trained on, how it scored.
 */
import type { DatasetMetrics, EvalSummary } from "./schemas.js";

/** Everything the card states. */
export interface CardFacts {
  readonly name: string;
  readonly profile: string;
  readonly runId: string | null;
  readonly baseModel: string;
  readonly metrics: DatasetMetrics;
  readonly summary: EvalSummary;
  readonly train: { ctx_len: number; magic_prime: number; my_exit_tokens: number };
  readonly modelFile: string;
  readonly modelSha256: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The card as Markdown.
 *
 * @example
 * ```ts
 * writeFileSync("release/model-card.md", modelCard(facts));
 * ```
 */
export function modelCard(f: CardFacts): string {
  const m = f.metrics;
  const s = f.summary;
  const standIn = f.profile === "demo";
  const categories = (["code_generation", "refactoring", "queries_1c", "explanation_review"] as const).map(
    (c) => `| ${c} | ${m.categories[c].rows} | ${pct(m.categories[c].share)} | ${pct(m.categories[c].target)} |`,
  );
  return [
    `# ${f.name}`,
    "",
    standIn
      ? "> **Stand-in model.** Trained by the demo profile: an n-gram model over RWKV World ids, not RWKV. Its `.pth` file holds JSON. It shows the release process, not a usable model."
      : "> RWKV v7 (x070) fine-tuned with RWKV-LM train.py.",
    "",
    "## Lineage",
    "",
    `- dataset: \`${m.input.path}\`, sha256 \`${m.input.sha256}\``,
    `- run: ${f.runId ? `\`${f.runId}\` (updraft run id; its manifest records parameters, attempts and git commit)` : "not recorded (UPDRAFT_RUN_ID was not set)"}`,
    `- base model: \`${f.baseModel}\``,
    `- weights: \`${f.modelFile}\`, sha256 \`${f.modelSha256}\``,
    "",
    "## Training data",
    "",
    `${m.documents} documents (${m.rows} rows), ${m.tokens.total} tokens. Tokenizer: ${m.tokens.tokenizer}, vocabulary sha256 ${m.tokens.vocab_sha256}, ${m.tokens.chars_per_token} characters per token, 0 = end of document, vocab_size 65536.`,
    "",
    "| category | rows | share | target |",
    "|---|---|---|---|",
    ...categories,
    "",
    `ctx_len ${f.train.ctx_len}, magic_prime ${f.train.magic_prime}, my_exit_tokens ${f.train.my_exit_tokens}.`,
    "",
    "## Evaluation",
    "",
    "| check | result | verdict |",
    "|---|---|---|",
    `| held-out 1C loss (nats/token) | ${s.heldout.loss} (perplexity ${s.heldout.perplexity}, ${s.heldout.documents} documents) | |`,
    `| domain: loss removed vs base | ${pct(s.domain_eval.gain)} (needs ${pct(s.domain_eval.min_gain)}) | ${s.domain_eval.verdict} |`,
    `| retention: general text vs base | ${s.retention_eval.regression >= 0 ? `${pct(s.retention_eval.regression)} worse` : `${pct(-s.retention_eval.regression)} better`} (limit ${pct(s.retention_eval.max_regression)} worse) | ${s.retention_eval.verdict} |`,
    "",
    "## Verify",
    "",
    "```sh",
    "sha256sum -c SHA256SUMS",
    "```",
    "",
  ].join("\n");
}
