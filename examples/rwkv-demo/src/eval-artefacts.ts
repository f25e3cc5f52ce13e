/**
 * eval_artefacts: the model-dependent part of evaluation (the part that needs the GPU for real).
 *
 *   tsx examples/rwkv-demo/src/eval-artefacts.ts --profile demo --model PROJ/rwkv-final.pth
 *     --base-model BASE --heldout heldout.jsonl --general general-heldout.jsonl --out EVAL_DIR
 *
 * Writes EVAL_DIR/losses.json (per-document cross-entropy of the fine-tuned and the base model on
 * the held-out 1C split and on general text) and EVAL_DIR/samples.md (completions of a few
 * held-out prompts). profile=demo scores the stand-in n-gram models; profile=rwkv is not
 * available in this example and fails with exit 4.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadCheckpoint } from "./checkpoints.js";
import { seeded } from "./corpus/random.js";
import { readDataset, renderRecord } from "./dataset.js";
import type { NgramModel } from "./ngram.js";
import { encodeDocument, END_OF_DOCUMENT } from "./tokenizer.js";
import { EXIT, options, runTool, ToolError } from "./tool.js";

/** One scored document. */
export interface DocumentLoss {
  readonly line: number;
  readonly category: string | null;
  /** Predicted tokens: the document's ids and its end-of-document id. */
  readonly tokens: number;
  /** Summed cross-entropy in nats, fine-tuned model and base model. */
  readonly nats: number;
  readonly baseNats: number;
}

/** The per-document numbers `evaluate.ts` turns into a summary. */
export interface LossReport {
  readonly model: { path: string; sha256: string; kind: string };
  readonly baseModel: { path: string; sha256: string };
  readonly heldout: readonly DocumentLoss[];
  readonly general: readonly DocumentLoss[];
}

/**
 * Summed cross-entropy of a document's ids, the history starting at an end-of-document id as it
 * does in training.
 *
 * @example
 * ```ts
 * documentNats(model, "User: ...\n\nAssistant: ..."); // { nats: 812.4, tokens: 700 }
 * ```
 */
export function documentNats(model: NgramModel, text: string): { nats: number; tokens: number } {
  const ids = [END_OF_DOCUMENT, ...encodeDocument(text)];
  let nats = 0;
  for (let pos = 1; pos < ids.length; pos++) nats += model.nll(ids, pos, 0);
  return { nats, tokens: ids.length - 1 };
}

function score(file: string, model: NgramModel, base: NgramModel): DocumentLoss[] {
  return readDataset(file).rows.filter((r) => !r.empty).map((r) => {
    const own = documentNats(model, r.text);
    return { line: r.line, category: r.category, tokens: own.tokens, nats: own.nats, baseNats: documentNats(base, r.text).nats };
  });
}

/** A sampled continuation (seeded, so the same model gives the same text). */
function complete(model: NgramModel, prompt: string, seed: number, maxTokens = 240): string {
  const rng = seeded(seed);
  const ids = [END_OF_DOCUMENT, ...encodeDocument(prompt).slice(0, -1)];
  const start = ids.length;
  for (let i = 0; i < maxTokens; i++) {
    // Temperature 0.5 (p squared, renormalised): fewer of the n-gram's rare, garbled branches.
    const p = model.distribution(ids, ids.length, 0).map((x) => x * x);
    let r = rng.next() * p.reduce((a, b) => a + b, 0);
    let next = 0;
    while (next < p.length - 1 && (r -= p[next]!) > 0) next++;
    if (next === END_OF_DOCUMENT) break;
    ids.push(next);
  }
  return Buffer.from(ids.slice(start).map((id) => id - 1)).toString("utf8");
}

function loadModel(file: string, what: string): NgramModel {
  try {
    return loadCheckpoint(file).model;
  } catch (error) {
    throw new ToolError(`cannot load the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.config);
  }
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

await runTool("eval-artefacts", () => {
  const o = options(process.argv.slice(2), ["profile", "model", "base-model", "heldout", "general", "out"]);
  if (o.string("profile") === "rwkv") {
    throw new ToolError("evaluation of real RWKV checkpoints is not available in this example", EXIT.config, "run your RWKV evaluation script here and write losses.json in the format eval-artefacts.ts documents");
  }
  const modelPath = o.string("model");
  const basePath = o.string("base-model");
  const model = loadModel(modelPath, "model");
  const base = loadModel(basePath, "base model");
  const heldoutFile = o.string("heldout");
  const report: LossReport = {
    model: { path: modelPath, sha256: sha256(modelPath), kind: "stand-in byte n-gram (not RWKV)" },
    baseModel: { path: basePath, sha256: sha256(basePath) },
    heldout: score(heldoutFile, model, base),
    general: score(o.string("general"), model, base),
  };
  const out = o.string("out");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "losses.json"), `${JSON.stringify(report, null, 2)}\n`);
  const prompts = readDataset(heldoutFile).rows.filter((r) => !r.empty).slice(0, 3);
  const samples = prompts.map((r, i) => {
    const prompt = renderRecord(r.prompt, "").trimEnd();
    return `## Held-out prompt ${i + 1} (line ${r.line}, ${r.category})\n\n${"```"}text\n${prompt} ${complete(model, `${prompt} `, i + 1)}\n${"```"}\n`;
  });
  writeFileSync(path.join(out, "samples.md"), `# Samples from ${modelPath}\n\nStand-in: a byte n-gram model, not RWKV; expect plausible fragments, not answers.\n\n${samples.join("\n")}`);
  process.stdout.write(`eval-artefacts: scored ${report.heldout.length} held-out and ${report.general.length} general documents -> ${out}/losses.json, ${out}/samples.md\n`);
});
