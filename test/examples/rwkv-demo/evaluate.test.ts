import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { documentNats, type DocumentLoss, type LossReport } from "../../../examples/rwkv-demo/src/eval-losses.js";
import { summarize } from "../../../examples/rwkv-demo/src/eval-summary.js";
import { NgramModel } from "../../../examples/rwkv-demo/src/ngram.js";
import { EvalSummarySchema } from "../../../examples/rwkv-demo/src/schemas.js";
import { BASE, DATA, evaluate, prepare, tempDir, tool, train } from "./helpers.js";

const doc = (tokens: number, nats: number, baseNats: number): DocumentLoss => ({
  line: 1,
  category: null,
  tokens,
  nats,
  baseNats,
});
const report = (heldout: DocumentLoss[], general: DocumentLoss[]): LossReport => ({
  model: { path: "m", sha256: "x", kind: "k" },
  baseModel: { path: "b", sha256: "y" },
  heldout,
  general,
});
const limits = { domainMinGain: 0.3, retentionMaxRegression: 0.1 };

describe("cross-entropy of the stand-in model", () => {
  it("GIVEN a unigram model that saw 'Aab' WHEN it scores 'A' THEN the loss is the Witten-Bell formula worked by hand", () => {
    const model = new NgramModel(1);
    model.learn([66, 98, 99, 0], 0, 4, 0); // the World ids of "A", "a", "b", then the end-of-document id
    // 4 tokens seen, 4 distinct: p(id) = (count(id) + 4 * 1/65536) / (4 + 4)
    const p = (1 + 4 / 65536) / 8;
    const { nats, tokens } = documentNats(model, [66, 0]);
    expect(tokens).toBe(2);
    expect(nats).toBeCloseTo(-Math.log(p) - Math.log(p), 12);
  });
});

describe("the evaluation summary", () => {
  it("GIVEN losses WHEN summarised THEN loss is total nats over total tokens and perplexity its exp", () => {
    const s = summarize(report([doc(100, 50, 200), doc(300, 150, 600)], [doc(100, 300, 300)]), limits);
    expect(s.heldout).toEqual({ loss: 0.5, perplexity: Number(Math.exp(0.5).toFixed(6)), tokens: 400, documents: 2 });
    expect(s.domain_eval).toMatchObject({ verdict: "PASS", loss: 0.5, base_loss: 2, gain: 0.75 });
    expect(s.retention_eval).toMatchObject({ verdict: "PASS", regression: 0 });
  });

  it("GIVEN too little gain over the base, or too much regression on general text, WHEN summarised THEN that verdict is FAIL with the numbers", () => {
    const weak = summarize(report([doc(100, 180, 200)], [doc(100, 100, 100)]), limits);
    expect(weak.domain_eval.verdict).toBe("FAIL");
    expect(weak.domain_eval.reason).toBe("held-out 1C loss 1.8000 vs base 2.0000: 10.0% lower; PASS needs >= 30.0%");
    const forgetful = summarize(report([doc(100, 50, 200)], [doc(100, 111, 100)]), limits);
    expect(forgetful.retention_eval.verdict).toBe("FAIL");
    expect(forgetful.retention_eval.reason).toBe(
      "general-text loss 1.1100 vs base 1.0000: 11.0% worse; PASS needs at most 10.0% worse",
    );
    expect(summarize(report([doc(100, 50, 200)], [doc(100, 110, 100)]), limits).retention_eval.verdict).toBe("PASS");
  });
});

describe("eval_artefacts and evaluate on a trained stand-in", () => {
  const dir = tempDir();
  beforeAll(async () => {
    expect((await prepare(dir)).code).toBe(0);
    expect((await train(dir)).code).toBe(0);
  }, 600_000); // the tools start Python and tsx: slow on a busy shared machine

  it("GIVEN the fine-tuned model WHEN evaluated THEN the numbers are sane: below uniform, far below the base on 1C, verdicts PASS", async () => {
    const [artefacts, summary] = await evaluate(dir);
    expect(artefacts.code).toBe(0);
    expect(summary.code).toBe(0);
    const s = EvalSummarySchema.parse(JSON.parse(readFileSync(path.join(dir, "eval/summary.json"), "utf8")));
    expect(s.heldout.loss).toBeGreaterThan(0);
    expect(s.heldout.loss).toBeLessThan(Math.log(65536));
    expect(s.heldout.perplexity).toBeCloseTo(Math.exp(s.heldout.loss), 4);
    expect(s.heldout.documents).toBe(60);
    expect(s.domain_eval.loss).toBeLessThan(s.domain_eval.base_loss);
    expect(s.domain_eval.verdict).toBe("PASS");
    expect(s.retention_eval.verdict).toBe("PASS");
    expect(summary.stdout).toContain(`evaluate: held-out loss ${s.heldout.loss}`);
    const losses = JSON.parse(readFileSync(path.join(dir, "eval/losses.json"), "utf8")) as LossReport;
    expect(losses.general).toHaveLength(30);
    expect(losses.heldout.every((d) => d.tokens > 0 && d.nats > 0)).toBe(true);
    expect(readFileSync(path.join(dir, "eval/samples.md"), "utf8")).toContain(
      "Stand-in: an n-gram model over RWKV World ids, not RWKV",
    );
  });

  it("GIVEN profile=rwkv WHEN eval_artefacts runs THEN it says plainly that it is not available, exit 4", async () => {
    const r = await tool("eval-artefacts", [
      "--profile",
      "rwkv",
      "--model",
      "m",
      "--base-model",
      BASE,
      "--heldout",
      path.join(DATA, "heldout.jsonl"),
      "--general",
      path.join(DATA, "general-heldout.jsonl"),
      "--out",
      path.join(dir, "e2"),
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("evaluation of real RWKV checkpoints is not available in this example");
  });
});
