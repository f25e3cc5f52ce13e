/**
 * Scoring documents with stand-in models: per-document cross-entropy and sampled completions.
 */
import { loadCheckpoint } from "./checkpoints.js";
import { seeded } from "./corpus/random.js";
import { readDataset } from "./dataset.js";
import type { NgramModel } from "./ngram.js";
import { encodeDocument, END_OF_DOCUMENT } from "./tokenizer.js";
import { EXIT, ToolError } from "./tool.js";

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

/**
 * Score every non-empty document of a JSONL file with a model and its base.
 *
 * @example
 * ```ts
 * scoreFile("data/heldout.jsonl", model, base)[0]; // { line: 1, category: "code_generation", tokens: 812, nats: 430.2, baseNats: 4410.8 }
 * ```
 */
export function scoreFile(file: string, model: NgramModel, base: NgramModel): DocumentLoss[] {
  return readDataset(file)
    .rows.filter((r) => !r.empty)
    .map((r) => {
      const own = documentNats(model, r.text);
      return {
        line: r.line,
        category: r.category,
        tokens: own.tokens,
        nats: own.nats,
        baseNats: documentNats(base, r.text).nats,
      };
    });
}

/**
 * A sampled continuation (seeded, so the same model gives the same text).
 *
 * @example
 * ```ts
 * complete(model, "User: Напиши функцию\n\nAssistant: ", 1); // "```bsl\nФункция ..."
 * ```
 */
export function complete(model: NgramModel, prompt: string, seed: number, maxTokens = 240): string {
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

/**
 * A stand-in model, or a configuration error naming the file.
 *
 * @example
 * ```ts
 * const model = loadModel("out/demo/proj/rwkv-final.pth", "model");
 * ```
 */
export function loadModel(file: string, what: string): NgramModel {
  try {
    return loadCheckpoint(file).model;
  } catch (error) {
    throw new ToolError(
      `cannot load the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT.config,
    );
  }
}
