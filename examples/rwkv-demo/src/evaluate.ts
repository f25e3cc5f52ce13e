/**
 * evaluate: per-document losses in, the summary the eval gate reads out.
 *
 *   tsx examples/rwkv-demo/src/evaluate.ts --losses EVAL_DIR/losses.json --out EVAL_DIR/summary.json
 *     --domain-min-gain 0.3 --retention-max-regression 0.1
 *
 * heldout: the fine-tuned model's mean cross-entropy (nats per token) and perplexity (its exp) on
 * the held-out 1C split. domain_eval PASS: fine-tuning removed at least --domain-min-gain of the
 * base model's loss there (loss <= (1 - gain) x base loss). retention_eval PASS: on general text
 * neither model has seen, the fine-tuned loss is at most (1 + --retention-max-regression) times
 * the base model's. A FAIL verdict is written, not an error: the eval gate decides.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { LossReport } from "./eval-losses.js";
import { summarize } from "./eval-summary.js";
import { EvalSummarySchema } from "./schemas.js";
import { EXIT, options, runTool, ToolError } from "./tool.js";

await runTool("evaluate", () => {
  const o = options(process.argv.slice(2), ["losses", "out", "domain-min-gain", "retention-max-regression"]);
  const file = o.string("losses");
  let report: LossReport;
  try {
    report = JSON.parse(readFileSync(file, "utf8")) as LossReport;
  } catch (error) {
    throw new ToolError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT.data,
      "run eval_artefacts first",
    );
  }
  const summary = EvalSummarySchema.parse(
    summarize(report, {
      domainMinGain: o.number("domain-min-gain"),
      retentionMaxRegression: o.number("retention-max-regression"),
    }),
  );
  writeFileSync(o.string("out"), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`evaluate: held-out loss ${summary.heldout.loss} (perplexity ${summary.heldout.perplexity})\n`);
  process.stdout.write(`evaluate: domain ${summary.domain_eval.verdict}: ${summary.domain_eval.reason}\n`);
  process.stdout.write(`evaluate: retention ${summary.retention_eval.verdict}: ${summary.retention_eval.reason}\n`);
});
