/**
 * From per-document losses to the evaluation summary and its domain and retention verdicts.
 */
import type { DocumentLoss, LossReport } from "./eval-losses.js";
import type { EvalSummary } from "./schemas.js";
import { EXIT, ToolError } from "./tool.js";

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Mean cross-entropy per token of a set of documents, for the model and its base.
 *
 * @example
 * ```ts
 * meanLoss([{ line: 1, category: null, tokens: 10, nats: 12, baseNats: 20 }]); // { loss: 1.2, baseLoss: 2, tokens: 10, documents: 1 }
 * ```
 */
export function meanLoss(docs: readonly DocumentLoss[]): {
  loss: number;
  baseLoss: number;
  tokens: number;
  documents: number;
} {
  const tokens = docs.reduce((n, d) => n + d.tokens, 0);
  if (tokens === 0)
    throw new ToolError(
      "no tokens to evaluate: the evaluation set is empty",
      EXIT.data,
      "check the held-out and general JSONL files",
    );
  const nats = docs.reduce((n, d) => n + d.nats, 0);
  const baseNats = docs.reduce((n, d) => n + d.baseNats, 0);
  return { loss: nats / tokens, baseLoss: baseNats / tokens, tokens, documents: docs.length };
}

/**
 * The evaluation summary with its verdicts.
 *
 * @example
 * ```ts
 * summarize(report, { domainMinGain: 0.3, retentionMaxRegression: 0.1 }).domain_eval.verdict; // "PASS"
 * ```
 */
export function summarize(
  report: LossReport,
  limits: { domainMinGain: number; retentionMaxRegression: number },
): EvalSummary {
  const held = meanLoss(report.heldout);
  const general = meanLoss(report.general);
  const regression = general.loss / general.baseLoss - 1;
  const gain = 1 - held.loss / held.baseLoss;
  // A loss exactly at a limit passes; the tolerance keeps float rounding (1.1 / 1 - 1 > 0.1) from deciding.
  const domainPass = gain >= limits.domainMinGain - 1e-12;
  const retentionPass = regression <= limits.retentionMaxRegression + 1e-12;
  const f = (x: number) => x.toFixed(4);
  return {
    model: report.model,
    base_model: report.baseModel,
    heldout: {
      loss: round(held.loss),
      perplexity: round(Math.exp(held.loss)),
      tokens: held.tokens,
      documents: held.documents,
    },
    domain_eval: {
      verdict: domainPass ? "PASS" : "FAIL",
      loss: round(held.loss),
      base_loss: round(held.baseLoss),
      gain: round(gain),
      min_gain: limits.domainMinGain,
      reason: `held-out 1C loss ${f(held.loss)} vs base ${f(held.baseLoss)}: ${(gain * 100).toFixed(1)}% lower; PASS needs >= ${(limits.domainMinGain * 100).toFixed(1)}%`,
    },
    retention_eval: {
      verdict: retentionPass ? "PASS" : "FAIL",
      loss: round(general.loss),
      base_loss: round(general.baseLoss),
      regression: round(regression),
      max_regression: limits.retentionMaxRegression,
      reason: `general-text loss ${f(general.loss)} vs base ${f(general.baseLoss)}: ${regression >= 0 ? `${(regression * 100).toFixed(1)}% worse` : `${(-regression * 100).toFixed(1)}% better`}; PASS needs at most ${(limits.retentionMaxRegression * 100).toFixed(1)}% worse`,
    },
  };
}
